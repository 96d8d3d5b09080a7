import { execFileSync, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_V8_FLAGS } from '../../src/cli/v8Flags';

describe('the command line V8 flags', () => {
  it('are flags this Node’s V8 knows (Node refuses an unknown one at start)', () => {
    expect(CLI_V8_FLAGS.length).toBeGreaterThan(0);
    const ok = spawnSync(process.execPath, [...CLI_V8_FLAGS, '-e', '0'], { encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    // The check can fail: a flag V8 does not have stops Node.
    const bad = spawnSync(process.execPath, ['--interrupt-budget-of-no-such-kind=1', '-e', '0'], { encoding: 'utf8' });
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/bad option/);
  });

  it('change how fast the command line answers, not what it answers', () => {
    // bin/hedgelens.mjs (its flags set) and the same command run with V8's defaults give the same bytes.
    const args = [
      'price',
      '--model',
      'bsm',
      '--type',
      'put',
      '--S',
      '100',
      '--K',
      '95',
      '--T',
      '0.25',
      '--r',
      '0.03',
      '--sigma',
      '0.2',
      '--json',
    ];
    const withFlags = execFileSync(
      process.execPath,
      [resolve(import.meta.dirname, '../../bin/hedgelens.mjs'), ...args],
      {
        encoding: 'utf8',
      },
    );
    const main = resolve(import.meta.dirname, '../../src/cli/main.ts');
    const expected = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '-e',
        `import(${JSON.stringify(main)}).then(async (m) => { process.exitCode = await m.runCli(${JSON.stringify(args)}); })`,
      ],
      { encoding: 'utf8' },
    );
    expect(withFlags.length).toBeGreaterThan(0);
    expect(withFlags).toBe(expected);
  });
});
