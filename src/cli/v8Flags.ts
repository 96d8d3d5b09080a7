/**
 * How the command line asks V8 to compile: a CLI run is one batch job of a few seconds, and on that scale the
 * optimising compiler's own time is the larger part of a first run (the whole 1990–2026 backtest on one V8 thread,
 * Node 20: 1.3 s of TurboFan compiling in a 2.8 s run; the same run again, its code compiled, 1.3 s). V8's defaults
 * are tuned for pages and servers that run the same code for minutes: they optimise a function after little
 * execution and inline deeply. Two changes:
 *
 * - `--interrupt-budget`: the bytecode a function executes before V8 considers optimising it (default 132 KB in
 *   Node 20's V8). Larger: only the code that really runs long is compiled by TurboFan; lukewarm functions stay in
 *   the interpreter and the baseline compiler, which cost nothing to compile.
 * - `--max-inlined-bytecode-size-cumulative`: the bytecode TurboFan inlines into one function (default 920): smaller
 *   graphs, faster compiles, the hot loops' small helpers still inlined.
 *
 * Measured on this project's 2-core machine, the whole backtest's first run with the process held to one core
 * (taskset -c 0), the figures interleaved in one sitting: 3.16–3.29 s with V8's defaults, 2.2–2.3 s with these
 * (`npm run bench -- backtest` measures both each time). The values are the least work counted on one V8 thread
 * (Valgrind, `node --single-threaded`, deterministic to 0.1%), over budgets of 132 K (the default) to 900 K and
 * cumulative inlining limits of 60 to 920 (the default): 19.84 G instructions with the defaults; with a limit of 300,
 * 17.53 G at the default budget, 15.83 G at 200 K, 15.72 G at 300 K, 16.28 G at 450 K, 16.84 G at 600 K, 17.70 G at
 * 900 K (hot code left in the interpreter too long); at 300 K, limits of 60, 150 and 920 gave 15.86, 15.74 and
 * 16.69 G. In wall time 300 K and 450 K were alike (2.2–2.3 s, six runs each in turn).
 *
 * Only the command line sets them (bin/hedgelens.mjs, before any of the engine's code runs): the extension runs in
 * the browser's V8 with the browser's settings, and the tests in vitest's.
 */
import { setFlagsFromString } from 'node:v8';

export const CLI_V8_FLAGS: readonly string[] = [
  '--interrupt-budget=300000',
  '--max-inlined-bytecode-size-cumulative=300',
];

/** Sets CLI_V8_FLAGS in this process's V8: call it before the code it is meant for first runs. */
export function applyCliV8Flags(): void {
  for (const flag of CLI_V8_FLAGS) setFlagsFromString(flag);
}
