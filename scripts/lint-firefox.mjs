#!/usr/bin/env node
/**
 * Mozilla's addons-linter (the checks addons.mozilla.org runs on upload) over the Firefox package.
 * Exits 1 when the linter reports any error (or cannot run), or one of the warnings below that would mean a
 * security regression for HedgeLens (the linter only warns on them); 0 otherwise. Everything is printed.
 *
 *   node scripts/lint-firefox.mjs [build dir | .zip]
 *     default: the package `npm run zip` made (.output-release/hedgelens-<version>-firefox.zip)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import JSZip from 'jszip';

const repo = resolve(import.meta.dirname, '..');
const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8'));
const dir = resolve(process.argv[2] ?? join(repo, '.output-release', `hedgelens-${version}-firefox.zip`));

if (!existsSync(dir.endsWith('.zip') ? dir : join(dir, 'manifest.json'))) {
  console.error(`lint-firefox: no Firefox package or build at ${dir} (run \`npm run zip\` first)`);
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

/**
 * Warnings explained by known library code, by exact signature (printed with the reason, still counted): Preact's
 * renderer assigns innerHTML only for a `dangerouslySetInnerHTML` prop, which HedgeLens never passes
 * (tests/security/no-html-sinks.test.ts pins that).
 */
const EXPLAINED = [
  {
    code: 'UNSAFE_VAR_ASSIGNMENT',
    signature: /\(e\.innerHTML=f\.__html\)|\.innerHTML=\w\.__html\)/,
    why: "Preact's dangerouslySetInnerHTML path; HedgeLens passes no such prop (tests/security/no-html-sinks.test.ts)",
  },
];

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

const { errors = [], warnings = [], notices = [] } = report;

/** The code around a message's line and column, read from the build folder or the zip. */
const zip = dir.endsWith('.zip') ? await JSZip.loadAsync(readFileSync(dir)) : null;
async function around(m) {
  if (!m.file || !m.line) return '';
  const text = zip ? ((await zip.file(m.file)?.async('string')) ?? '') : readFileSync(join(dir, m.file), 'utf8');
  const line = text.split('\n')[m.line - 1] ?? '';
  const at = m.column ?? 0;
  return line.slice(Math.max(0, at - 200), at + 200);
}
const explained = new Map();
for (const w of warnings) {
  const code = await around(w);
  const known = EXPLAINED.find((e) => e.code === w.code && e.signature.test(code));
  if (known) explained.set(w, known.why);
}

const show = (m) => {
  const where = m.file ? `${m.file}${m.line ? `:${m.line}${m.column ? `:${m.column}` : ''}` : ''}` : '';
  const why = explained.get(m);
  return `${m.code}${where ? ` (${where})` : ''}: ${m.message}${why ? ` — known: ${why}` : ''}`;
};
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
