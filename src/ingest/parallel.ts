import { startWorker } from '../runtime/worker.ts';
import type { ReaderLimits } from './cybertip/limits.ts';
import type { PreparedItem } from './prepare.ts';
import { internal } from '../model/error.ts';

/** What the parse worker is asked to do. */
export interface WorkerRequest {
  paths: string[];
  limits?: Partial<ReaderLimits> | undefined;
  batchSize: number;
  /** Batches the worker may send before the first is acknowledged. */
  window: number;
}

/** What the parse worker sends back. */
export type WorkerMessage = { type: 'batch'; items: PreparedItem[] } | { type: 'done' } | { type: 'error'; message: string };

/**
 * Prepared items in batches, read by a worker thread so that parsing and writing use both cores.
 * Each batch is acknowledged when the consumer asks for the next, which bounds memory.
 */
export async function* readPrepared(paths: string[], opts: { limits?: Partial<ReaderLimits> | undefined; batchSize: number }): AsyncGenerator<PreparedItem[]> {
  // The worker holds one report tree and a few batches at a time; a modest heap makes V8 collect
  // early instead of growing towards its default limit, which keeps the process's RSS flat.
  const resourceLimits = { maxOldGenerationSizeMb: 160, maxYoungGenerationSizeMb: 24 };
  const workerData = { paths, limits: opts.limits, batchSize: opts.batchSize, window: 4 } satisfies WorkerRequest;
  const worker = startWorker('parse-worker', import.meta.url, workerData, resourceLimits);
  const queue: WorkerMessage[] = [];
  let notify: (() => void) | undefined;
  let failure: Error | undefined;
  worker.on('message', (m: WorkerMessage) => {
    queue.push(m);
    notify?.();
  });
  worker.on('error', (err) => {
    failure = err;
    notify?.();
  });
  worker.on('exit', (code) => {
    if (code !== 0 && !failure) failure = internal(`the parse worker stopped with code ${code}`);
    notify?.();
  });
  try {
    for (;;) {
      while (queue.length === 0 && !failure)
        await new Promise<void>((r) => {
          notify = r;
        });
      const m = queue.shift();
      if (!m) throw failure ?? internal('the parse worker stopped');
      if (m.type === 'done') return;
      if (m.type === 'error') throw internal(m.message);
      yield m.items;
      worker.postMessage('ack');
    }
  } finally {
    await worker.terminate();
  }
}
