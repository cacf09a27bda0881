// Collecting at a batch boundary returns the batch's garbage, and does nothing below the floor.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getHeapStatistics } from 'node:v8';
import { collectBetweenBatches } from './memory.ts';

test('a collection between batches frees the dead batch; below the floor nothing runs', () => {
  let batch: { id: number; text: string }[] | undefined = Array.from({ length: 400_000 }, (_, id) => ({ id, text: `row ${id} `.repeat(4) }));
  assert.equal(batch.length, 400_000);
  const held = getHeapStatistics().used_heap_size;
  batch = undefined;
  assert.equal(collectBetweenBatches(Number.MAX_SAFE_INTEGER), false, 'a heap below the floor is left alone');
  assert.equal(collectBetweenBatches(0), true);
  const freed = held - getHeapStatistics().used_heap_size;
  assert.ok(freed > 30 * 1024 * 1024, `the dead batch was freed (${Math.round(freed / 1048576)} MB)`);
});
