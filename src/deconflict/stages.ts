// Other agencies' marks in the runtime (src/runtime/stage.ts) as a keyed task: its keys are reports
// whose identifiers or subject changed. Matching joins the peers' entries with the local hashes
// (work in proportion to the entries held, src/deconflict/run.ts), so a batch of keys needs one
// match; with no peer file and no mark held there is nothing to do.
import type { KeyedTask } from '../runtime/stage.ts';
import { hasExternalWork, matchExternal } from './run.ts';

/** external-deconfliction: redoes the marks from other agencies' files; reports whose mark changed are marked for scores. */
export function externalDeconflictionTask(now?: Date): KeyedTask {
  return {
    name: 'external-deconfliction',
    // One match covers every pending key.
    batch: 1_000_000,
    async run(store) {
      if (!(await hasExternalWork(store))) return { written: 0 };
      const m = await matchExternal(store, now ? { now } : {});
      return { written: m.added + m.changed + m.removed, stats: { marked: m.marked, hashed: m.hashed } };
    },
  };
}
