#!/usr/bin/env node
// HedgeLens command line. Registers tsx so the TypeScript sources run as they are, then hands over to
// src/cli/main.ts. Exit status: 0 ok, 2 bad input, 1 other errors.
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv.slice(2));
