import { spawn } from 'node:child_process';
import { join } from 'node:path';
import type { StoreLocation } from '../../src/store/database.ts';
import { repoRoot } from './shared.ts';

/** What a CLI run printed and how it exited. */
export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `bantay ARGS` from source against a database location, as a user would from a shell. */
export function runCli(args: string[], location?: StoreLocation, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  const dbArgs = location?.backend === 'embedded' ? ['--data', location.dataDir] : [];
  const dbEnv = location?.backend === 'server' ? { DATABASE_URL: location.url } : {};
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'src', 'cli', 'run.ts'), ...dbArgs, ...args], {
    cwd: repoRoot,
    env: { ...process.env, BANTAY_DATA: '', DATABASE_URL: '', ...dbEnv, ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolveRun) => child.on('close', (code) => resolveRun({ code: code ?? 1, stdout, stderr })));
}
