import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker, type ResourceLimits } from 'node:worker_threads';

/** The module beside the caller (`name` without extension): the .ts file under tsx (tests, development), the .js file once built. */
function besideCaller(name: string, callerUrl: string): { entry: URL; ts: boolean } {
  const ts = callerUrl.endsWith('.ts');
  return { entry: new URL(`./${name}${ts ? '.ts' : '.js'}`, callerUrl), ts };
}

/** Starts a worker thread on a module beside the caller (`name` without extension). */
export function startWorker(name: string, callerUrl: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const { entry, ts } = besideCaller(name, callerUrl);
  const opts = { workerData, ...(resourceLimits ? { resourceLimits } : {}) };
  // Under tsx the worker must register the TypeScript loader itself before importing its entry:
  // Node 20 does not apply --import hooks to a worker's first module.
  return ts
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true, ...opts })
    : new Worker(entry, opts);
}

/**
 * Runs a module beside the caller in a short-lived Node process and waits for it, its stdout
 * collected as bytes: work whose garbage should leave with the process that made it.
 */
export function runChildSync(name: string, callerUrl: string, args: string[], maxBuffer: number): SpawnSyncReturns<Buffer> {
  const { entry, ts } = besideCaller(name, callerUrl);
  // Under tsx the child loads its TypeScript entry through tsx, found from here rather than the working folder.
  return spawnSync(process.execPath, [...(ts ? ['--import', import.meta.resolve('tsx')] : []), fileURLToPath(entry), ...args], { maxBuffer });
}
