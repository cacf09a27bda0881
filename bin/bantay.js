#!/usr/bin/env node
// The compiled CLI lives in dist/ (built by `npm ci` through the prepare script).
import module from 'node:module';

// Node 22.1+ keeps the compiled code of every module on disk between runs, which shortens the
// start of each command; Node 20 has no such cache and simply starts without it.
module.enableCompileCache?.();
const { main } = await import('../dist/cli/main.js');

main(process.argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(`bantay: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = 1;
  },
);
