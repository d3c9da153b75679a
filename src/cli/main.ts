#!/usr/bin/env node
/**
 * The `bzzz` executable (package.json "bin"): runs the command line in `cli.ts` against the real
 * process streams and environment, and exits with its status.
 */
import { runCli } from './cli.js';

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
});
