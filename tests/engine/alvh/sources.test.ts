import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRulebook, RULE_KEYS, RULE_SPECS } from '../../../src/engine/alvh/rulebook';

// The trader reads these sources in Options → Rulebook: each must be a public reference or a file a user of the
// repository has. DESIGN.md is the project's internal design note, not shipped with the repository.
const REPO = resolve(import.meta.dirname, '../../..');

/** Every repository path a source names (a word with a slash or a known document extension), with its § if any. */
function citedFiles(source: string): { path: string; section: string | null }[] {
  const out: { path: string; section: string | null }[] = [];
  const re = /([\w.-]+(?:\/[\w.-]+)*\.(?:md|ts|tsx|json|csv|txt))(?:\s*§\s*(\d+))?/g;
  for (const m of source.matchAll(re)) out.push({ path: m[1]!, section: m[2] ?? null });
  return out;
}

function sectionsOf(path: string): Set<string> {
  const text = readFileSync(resolve(REPO, path), 'utf8');
  return new Set([...text.matchAll(/^#+\s+(\d+)\./gm)].map((m) => m[1]!));
}

describe('rulebook sources', () => {
  it('finds the files a source names (the checker itself)', () => {
    expect(citedFiles('x (docs/alvh-method.md §8); see DESIGN.md §3')).toEqual([
      { path: 'docs/alvh-method.md', section: '8' },
      { path: 'DESIGN.md', section: '3' },
    ]);
    expect(citedFiles('Wilder, "New Concepts in Technical Trading Systems" (1978)')).toEqual([]);
  });

  it('every key has a source, and none names DESIGN.md', () => {
    for (const k of RULE_KEYS) {
      const src = RULE_SPECS[k].source;
      expect(src.trim().length, k).toBeGreaterThan(10);
      expect(src, k).not.toMatch(/DESIGN(\.md)?\b/);
    }
  });

  it('every repository file a source names exists, and every § it cites is a section of that file', () => {
    let checked = 0;
    for (const k of RULE_KEYS) {
      for (const { path, section } of citedFiles(RULE_SPECS[k].source)) {
        expect(existsSync(resolve(REPO, path)), `${k} cites ${path}, which is not in the repository`).toBe(true);
        if (section !== null) expect(sectionsOf(path).has(section), `${k} cites ${path} §${section}`).toBe(true);
        checked++;
      }
    }
    // The method's own numbers cite docs/alvh-method.md, so the walk above must have looked at files.
    expect(checked).toBeGreaterThan(0);
  });

  it('a new rulebook carries the same sources', () => {
    const rb = defaultRulebook();
    for (const k of RULE_KEYS) expect(rb.sources[k]).toBe(RULE_SPECS[k].source);
  });
});
