#!/usr/bin/env node
/**
 * Mozilla's addons-linter (the checks addons.mozilla.org runs on upload) over the Firefox build.
 * Exits 1 when the linter reports any error (or cannot run), or one of the warnings below that would mean a
 * security regression for HedgeLens (the linter only warns on them); 0 otherwise. Everything is printed.
 *
 *   node scripts/lint-firefox.mjs [build dir]     default: ${HEDGELENS_OUT_DIR:-.output}/firefox-mv2
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const repo = resolve(import.meta.dirname, '..');
const outDir = resolve(repo, process.env.HEDGELENS_OUT_DIR ?? '.output');
const dir = resolve(process.argv[2] ?? join(outDir, 'firefox-mv2'));

if (!existsSync(join(dir, 'manifest.json'))) {
  console.error(`lint-firefox: no Firefox build at ${dir} (run \`npm run build:firefox\` first)`);
  process.exit(1);
}

/** Warnings that fail the check: remote or eval'd code, a CSP that allows them, an invalid permission. */
const FAIL_ON_WARNINGS = new Set([
  'MANIFEST_CSP',
  'MANIFEST_CSP_UNSAFE_EVAL',
  'DANGEROUS_EVAL',
  'NO_IMPLIED_EVAL',
  'REMOTE_SCRIPT',
  'MANIFEST_PERMISSIONS',
]);

const require = createRequire(import.meta.url);
const pkgPath = require.resolve('addons-linter/package.json');
const pkg = require(pkgPath);
const bin = join(dirname(pkgPath), typeof pkg.bin === 'string' ? pkg.bin : pkg.bin['addons-linter']);

const run = spawnSync(process.execPath, [bin, '--output', 'json', '--boring', dir], {
  encoding: 'utf8',
  maxBuffer: 64 * 1024 * 1024,
});
let report;
try {
  report = JSON.parse(run.stdout);
} catch {
  console.error(`lint-firefox: addons-linter ${pkg.version} gave no JSON report (exit ${run.status})`);
  console.error((run.stderr || run.stdout || '').slice(0, 4000));
  process.exit(1);
}

const show = (m) => {
  const where = m.file ? `${m.file}${m.line ? `:${m.line}${m.column ? `:${m.column}` : ''}` : ''}` : '';
  return `${m.code}${where ? ` (${where})` : ''}: ${m.message}`;
};
const { errors = [], warnings = [], notices = [] } = report;
const failing = warnings.filter((w) => FAIL_ON_WARNINGS.has(w.code));
console.log(
  `addons-linter ${pkg.version} on ${relative(repo, dir) || dir}: ` +
    `${errors.length} errors, ${warnings.length} warnings, ${notices.length} notices`,
);
for (const [label, list] of [
  ['error', errors],
  ['warning', warnings],
  ['notice', notices],
]) {
  for (const m of list) console.log(`  ${label}${failing.includes(m) ? ' (fails the check)' : ''}: ${show(m)}`);
}
if (errors.length || failing.length) {
  console.error(`lint-firefox: FAILED (${errors.length} errors, ${failing.length} security warnings)`);
  process.exit(1);
}
