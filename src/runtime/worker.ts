import { Worker, type ResourceLimits } from 'node:worker_threads';

/**
 * Starts a worker thread on a module beside the caller (`name` without extension): the .ts file
 * under tsx (tests, development), the .js file once built.
 */
export function startWorker(name: string, callerUrl: string, workerData: unknown, resourceLimits?: ResourceLimits): Worker {
  const ext = callerUrl.endsWith('.ts') ? '.ts' : '.js';
  const entry = new URL(`./${name}${ext}`, callerUrl);
  const opts = { workerData, ...(resourceLimits ? { resourceLimits } : {}) };
  // Under tsx the worker must register the TypeScript loader itself before importing its entry:
  // Node 20 does not apply --import hooks to a worker's first module.
  return ext === '.ts'
    ? new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); });`, { eval: true, ...opts })
    : new Worker(entry, opts);
}
