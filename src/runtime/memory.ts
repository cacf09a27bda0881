// Garbage at the end of a batch is all dead: the batch's plan, rows and query results. Left to its
// own heuristics, V8 lets the heap grow towards a limit sized for the machine (gigabytes here)
// before a full collection, so a long derived run would carry several batches of garbage and its
// peak would depend on the heap limit rather than on the batch size. Collecting at the batch
// boundary, once the heap is past a floor, bounds the peak by what one batch holds.
import { getHeapStatistics, setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** Below this many MB of heap in use a collection is not worth its pause (most deliveries stay under it). */
export const COLLECT_ABOVE_MB = 128;

let collect: (() => void) | undefined;

// `gc` exists only under --expose-gc; the flag can be set at run time, and a new context then
// carries the function (the usual way to reach it without a command-line flag).
function collector(): () => void {
  if (collect) return collect;
  const given = (globalThis as { gc?: () => void }).gc;
  if (given) return (collect = given);
  setFlagsFromString('--expose-gc');
  collect = runInNewContext('gc') as () => void;
  return collect;
}

/** Runs a full garbage collection when the heap in use is past `aboveMB` (call it where a batch's data is dead). */
export function collectBetweenBatches(aboveMB = COLLECT_ABOVE_MB): boolean {
  if (getHeapStatistics().used_heap_size < aboveMB * 1024 * 1024) return false;
  collector()();
  return true;
}
