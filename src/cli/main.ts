/**
 * The CLI front door: `hedgelens <command> [args]`. Commands live in src/cli/commands/<name>.ts and export
 * `run: CommandRun`; they are loaded on demand. Exit status: 0 success, 2 bad input (one line on stderr),
 * 1 anything else.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { CliIo, CommandRun } from './io.ts';

export const COMMANDS: Record<string, string> = {
  analyze:
    'analyze <file.html|.csv|.dat|.json> [--expiry D] [--condor K1/K2/K3/K4] [--qty N] [--credit X] [--vix X] [--vix-history FILE] [--now ISO] [--json]',
  scrape: 'scrape <file.html> [--json]',
  positions: 'positions <file.csv> [--json]',
  price: 'price [--batch cases.jsonl] [--json]',
  'backtest-rules': 'backtest-rules --vix-history FILE [--rulebook FILE] [--json]',
  backtest:
    'backtest --spx-history FILE --vix-history FILE [--vix-term DIR] [--rates FILE] [--from D] [--to D] [--rulebook FILE] [--strategies a,b] [--preset cndr|trader] [--benchmark FILE] [--json] [--chart FILE.svg] [--equity-csv FILE.csv]',
};

export const HELP = [
  'usage: hedgelens <command> [options]',
  '',
  ...Object.values(COMMANDS).map((u) => `  hedgelens ${u}`),
  '',
  'Run `hedgelens <command> --help` for a command. Exit status: 0 ok, 2 bad input, 1 other errors.',
  'Trading aids, not advice.',
  '',
].join('\n');

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ').trim();
}

function isUsageError(e: unknown): e is Error {
  return e instanceof Error && e.name === 'UsageError';
}

/** Where a command module lives; overridable in tests. */
export type CommandLoader = (name: string) => Promise<CommandRun | null>;

export const loadCommand: CommandLoader = async (name) => {
  const url = new URL(`./commands/${name}.ts`, import.meta.url);
  if (!existsSync(fileURLToPath(url))) return null;
  const mod = (await import(url.href)) as { run?: CommandRun };
  if (typeof mod.run !== 'function') throw new Error(`src/cli/commands/${name}.ts exports no run()`);
  return mod.run;
};

/** Run the CLI with injected io; returns the exit status. Never throws. */
export async function main({
  argv,
  io,
  load = loadCommand,
}: {
  argv: string[];
  io: CliIo;
  load?: CommandLoader;
}): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) {
    io.stderr(`no command given; usage: hedgelens <${Object.keys(COMMANDS).join('|')}> … (hedgelens --help)\n`);
    return 2;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    io.stderr(
      `unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')} (hedgelens --help)\n`,
    );
    return 2;
  }
  try {
    const run = await load(name);
    if (!run) {
      io.stderr(`hedgelens ${name}: command not available yet\n`);
      return 1;
    }
    return await run(rest, io);
  } catch (e) {
    if (isUsageError(e)) {
      io.stderr(`hedgelens ${name}: ${oneLine(e.message)}\n`);
      return 2;
    }
    const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
    io.stderr(`hedgelens ${name}: internal error: ${oneLine(e instanceof Error ? e.message : String(e))}\n`);
    if (process.env.HEDGELENS_DEBUG) io.stderr(`${msg}\n`);
    return 1;
  }
}

/** The process's own io. */
export function nodeIo(): CliIo {
  return {
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    readFile: (p) => readFile(p, 'utf8'),
    listDir: (p) => readdir(p),
    writeFile: (p, t) => writeFile(p, t, 'utf8'),
    now: () => new Date(),
  };
}

/** Entry for bin/hedgelens.mjs. */
export async function runCli(argv: string[]): Promise<number> {
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
  return main({ argv, io: nodeIo() });
}
