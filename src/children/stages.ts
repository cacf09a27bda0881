// The children stage in the runtime (src/runtime/stage.ts) as a keyed task: its keys are report
// ids whose version, subject, places or hash signals changed; it regroups only the children those
// reports' mentions reach (src/children/run.ts), so it keeps its own transactions.
import type { KeyedTask } from '../runtime/stage.ts';
import { runChildren } from './run.ts';

/** children: re-reads the marked reports' mentions and regroups the children they touch; rescued children's reports are marked for scores. */
export function childrenTask(): KeyedTask {
  return {
    name: 'children',
    batch: 5000,
    async run(store, keys) {
      const s = await runChildren(store, { reportIds: keys });
      return { written: s.childrenWritten, stats: { reportsRead: s.reportsRead, childrenWritten: s.childrenWritten } };
    },
  };
}
