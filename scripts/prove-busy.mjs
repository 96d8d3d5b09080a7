#!/usr/bin/env node
/**
 * The busy-machine proof (issue 18): the whole `npm test`, three times in a row, while a CPU burner
 * (`node -e 'for(;;){}'`) keeps one core busy. Prints each run's time and result; exits non-zero unless all pass.
 * The burner is stopped however this ends: success, a failed run, an error, Ctrl-C or a kill signal.
 *
 *   node scripts/prove-busy.mjs            # 3 runs
 *   node scripts/prove-busy.mjs 1          # 1 run
 */
import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.argv[2] ?? 3);
if (!Number.isInteger(RUNS) || RUNS < 1) {
  console.error(`prove-busy: the number of runs must be a whole number ≥ 1, not “${process.argv[2]}”`);
  process.exit(2);
}

const burner = spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' });
let current = null;
const stopAll = () => {
  if (current && current.exitCode === null) {
    // npm test runs in its own process group (detached): end the group, its browsers included.
    try {
      process.kill(-current.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
  if (burner.exitCode === null) burner.kill('SIGKILL');
};
process.on('exit', stopAll);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    console.log(`\nprove-busy: ${sig}; stopping the burner and the test run`);
    stopAll();
    process.exit(130);
  });
}

const runOnce = () =>
  new Promise((done) => {
    const t0 = Date.now();
    current = spawn('npm', ['test'], { cwd: REPO, stdio: 'inherit', detached: true });
    current.on('error', (err) => done({ ok: false, seconds: (Date.now() - t0) / 1000, why: err.message }));
    current.on('exit', (code, signal) =>
      done({
        ok: code === 0,
        seconds: (Date.now() - t0) / 1000,
        why: code === 0 ? '' : signal ? `killed by ${signal}` : `exit code ${code}`,
      }),
    );
  });

const results = [];
try {
  console.log(`prove-busy: CPU burner started (pid ${burner.pid}); ${RUNS} × npm test`);
  for (let i = 1; i <= RUNS; i++) {
    console.log(`\nprove-busy: run ${i} of ${RUNS}`);
    const r = await runOnce();
    results.push(r);
    console.log(`prove-busy: run ${i}: ${r.ok ? 'passed' : `FAILED (${r.why})`} in ${r.seconds.toFixed(0)} s`);
  }
} finally {
  stopAll();
}
console.log('\nprove-busy: summary (one core busy with a burner throughout)');
results.forEach((r, i) =>
  console.log(`  run ${i + 1}: ${r.ok ? 'passed' : `FAILED (${r.why})`}, ${r.seconds.toFixed(0)} s`),
);
process.exitCode = results.length === RUNS && results.every((r) => r.ok) ? 0 : 1;
