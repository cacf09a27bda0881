// The trend series in the runtime (src/runtime/stage.ts) as a keyed task: report ids whose series
// keys may have moved, and the corridors key that new payments mark. Judging the series (alerts)
// stays with `bantay trends`: it reads days, not keys.
import type { KeyedTask } from '../runtime/stage.ts';
import { CORRIDORS } from '../store/pending.ts';
import { updateCorridors, updateSeries } from './run.ts';

/** trends: the daily counts of the marked reports' series (and of payments stored since the last count). */
export function trendsTask(): KeyedTask {
  return {
    name: 'trends',
    batch: 5000,
    async run(store, keys) {
      const reports = keys.filter((k) => k !== CORRIDORS);
      const updated = reports.length > 0 ? await updateSeries(store, { reportIds: reports }) : 0;
      const payments = keys.includes(CORRIDORS) ? await updateCorridors(store) : 0;
      return { written: updated + payments, stats: { reportsCounted: updated, paymentsCounted: payments } };
    },
  };
}
