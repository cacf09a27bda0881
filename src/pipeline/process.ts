// After reports arrive, the derived stages run in pipeline order over what is new: hash signals,
// identifiers with their enrichment, links and subjects, then scores. Each stage is incremental
// and idempotent on its own (see architecture.md), so running this after every ingest is cheap
// and running it twice changes nothing.

import type { Store } from '../store/database.ts';
import { updateHashes, type UpdateSummary } from '../hashes/update.ts';
import { runLink, type LinkRunSummary } from '../link/run.ts';

/** One stage's name and how long it took. */
export interface StageTiming {
  stage: string;
  ms: number;
}

/** What processing did. */
export interface ProcessSummary {
  hashes: UpdateSummary;
  link: LinkRunSummary;
  timings: StageTiming[];
}

/** Runs the derived stages over new and changed reports; `onStage` hears each stage start. */
export async function processNew(store: Store, opts: { onStage?: (stage: string) => void } = {}): Promise<ProcessSummary> {
  const timings: StageTiming[] = [];
  const timed = async <T>(stage: string, run: () => Promise<T>): Promise<T> => {
    opts.onStage?.(stage);
    const t0 = Date.now();
    const out = await run();
    timings.push({ stage, ms: Date.now() - t0 });
    return out;
  };
  const hashes = await timed('hash signals', () => updateHashes(store));
  const link = await timed('identifiers, enrichment, links and subjects', () => runLink(store));
  return { hashes, link, timings };
}
