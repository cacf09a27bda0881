// Worker thread: reads and prepares reports (XML parsing, mapping, hashing, compression) while
// the main thread writes to the database, so that the two cores work at once.
import { parentPort, workerData } from 'node:worker_threads';
import { preparedBatches, type PreparedItem } from './prepare.ts';
import type { WorkerRequest, WorkerMessage } from './parallel.ts';
import { internal } from '../model/error.ts';

const port = parentPort;
if (!port) throw internal('parse-worker must run as a worker thread');
const request = workerData as WorkerRequest;

// Credits bound how far the reader runs ahead of the database: memory stays flat.
let credits = request.window;
let wake: (() => void) | undefined;
port.on('message', (m: 'ack') => {
  if (m === 'ack') {
    credits++;
    wake?.();
  }
});

async function run(): Promise<void> {
  for await (const batch of preparedBatches(request.paths, request.limits, request.batchSize)) {
    while (credits <= 0)
      await new Promise<void>((r) => {
        wake = r;
      });
    credits--;
    port!.postMessage({ type: 'batch', items: batch } satisfies WorkerMessage);
  }
  port!.postMessage({ type: 'done' } satisfies WorkerMessage);
}

run().catch((err: unknown) => {
  port.postMessage({ type: 'error', message: err instanceof Error ? err.message : String(err) } satisfies WorkerMessage);
});

export type { PreparedItem };
