/** What a command may touch: injected so tests can run commands without spawning a process. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => Promise<string>;
  /** The names of the entries of a folder (for --macro-dir); absent where a command has no folders to read. */
  listDir?: (path: string) => Promise<string[]>;
  /** Writes a text file (the backtest's --chart); absent where a command writes no files. */
  writeFile?: (path: string, text: string) => Promise<void>;
  /** Current time; injectable so analyses of saved files are reproducible. */
  now: () => Date;
}

/** Thrown for bad input: the CLI prints `message` as one line on stderr and exits 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Every command module in src/cli/commands/<name>.ts exports `run` with this shape and returns the exit code. */
export type CommandRun = (argv: string[], io: CliIo) => Promise<number>;

/** A file's text, or a UsageError that names the file and says why it could not be read. */
export async function readTextFile(io: CliIo, path: string): Promise<string> {
  try {
    return await io.readFile(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new UsageError(`cannot read ${path}: ${why}`);
  }
}
