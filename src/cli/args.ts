/**
 * A small flag parser for the CLI: `--name value`, `--name=value`, boolean `--flag`, positionals, and `--`
 * to end the flags. Unknown flags, missing values and values given to booleans are UsageErrors.
 */
import { UsageError } from './io.ts';

export type FlagSpec = Record<string, { type: 'string' | 'boolean'; alias?: string }>;

export interface ParsedArgs {
  positionals: string[];
  /** Strings for string flags that were given; true for boolean flags that were given. */
  values: Record<string, string | boolean | undefined>;
}

export function parseArgs({ argv, flags, usage }: { argv: string[]; flags: FlagSpec; usage: string }): ParsedArgs {
  const positionals: string[] = [];
  const values: Record<string, string | boolean | undefined> = {};
  const byAlias = new Map<string, string>();
  for (const [name, spec] of Object.entries(flags)) if (spec.alias) byAlias.set(spec.alias, name);
  let flagsDone = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (flagsDone || !a.startsWith('-') || a === '-' || /^-\d/.test(a)) {
      positionals.push(a);
      continue;
    }
    if (a === '--') {
      flagsDone = true;
      continue;
    }
    const eq = a.indexOf('=');
    const raw = eq > 0 ? a.slice(0, eq) : a;
    const name = raw.startsWith('--') ? raw.slice(2) : byAlias.get(raw.slice(1));
    const spec = name !== undefined ? flags[name] : undefined;
    if (name === undefined || !spec) throw new UsageError(`unknown option ${raw}; ${usage}`);
    if (values[name] !== undefined) throw new UsageError(`${raw} given twice; ${usage}`);
    if (spec.type === 'boolean') {
      if (eq > 0) throw new UsageError(`${raw} takes no value; ${usage}`);
      values[name] = true;
      continue;
    }
    let v: string | undefined;
    if (eq > 0) v = a.slice(eq + 1);
    else {
      v = argv[i + 1];
      if (v === undefined || (v.startsWith('--') && v.length > 2))
        throw new UsageError(`${raw} needs a value; ${usage}`);
      i++;
    }
    if (v === '') throw new UsageError(`${raw} needs a value; ${usage}`);
    values[name] = v;
  }
  return { positionals, values };
}

/** A number flag: finite, optionally positive / integer, else a UsageError naming the flag. */
export function numberFlag({
  name,
  value,
  positive = false,
  integer = false,
}: {
  name: string;
  value: string;
  positive?: boolean;
  integer?: boolean;
}): number {
  const n = Number(value.trim());
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name} must be a number (got ${JSON.stringify(value)})`);
  if (positive && !(n > 0)) throw new UsageError(`--${name} must be positive (got ${value})`);
  if (integer && !Number.isInteger(n)) throw new UsageError(`--${name} must be a whole number (got ${value})`);
  return n;
}
