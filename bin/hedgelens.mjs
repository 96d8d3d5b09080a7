#!/usr/bin/env node
// HedgeLens command line. Registers tsx so the TypeScript sources run as they are, sets the V8 flags of a batch job
// (src/cli/v8Flags.ts: a third off a first backtest run), then hands over to src/cli/main.ts. Exit status: 0 ok,
// 2 bad input, 1 other errors.
import { register } from 'tsx/esm/api';

register();
const { applyCliV8Flags } = await import('../src/cli/v8Flags.ts');
applyCliV8Flags();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
