// Worker thread of a full re-score: turns scoring rows into score rows (facts, features, every
// ruleset, reasons, COPY text) on the second core while the main thread reads and writes.
import { parentPort, workerData } from 'node:worker_threads';
import { copyText } from '../store/copy-text.ts';
import { scoreValues, type ScoreRow, type ScoringRow } from '../store/triage.ts';
import { assembleFeatures } from './features.ts';
import { compileTriageRuleset, factsOf, scoreRow } from './score.ts';
import type { ScoreWorkerReply, ScoreWorkerSetup } from './rescore.ts';
import { internal } from '../model/error.ts';

const port = parentPort;
if (!port) throw internal('score-worker must run as a worker thread');
const setup = workerData as ScoreWorkerSetup;
const compiled = setup.rulesets.map((r) => ({ version: r.version, ruleset: compileTriageRuleset(r.ruleset) }));
const subjects = new Map(setup.subjects);
const tables = [scoreValues('triage_scores'), scoreValues('triage_shadow_scores')];

port.on('message', (rows: ScoringRow[]) => {
  try {
    const out: ScoreRow[][] = compiled.map(() => []);
    const tiers: Record<string, number> = {};
    for (const row of rows) {
      const facts = factsOf(row, subjects);
      const features = assembleFeatures(facts, setup.now);
      compiled.forEach((c, k) => {
        const o = c.ruleset.evaluate(features);
        out[k]!.push(scoreRow({ row, facts, outcomes: [] }, o, c.version));
        if (k === 0) tiers[o.tier] = (tiers[o.tier] ?? 0) + 1;
      });
    }
    const reply: ScoreWorkerReply = setup.copy
      ? { ok: true, tiers, copy: out.map((rs, k) => copyText(rs.map(tables[k]!.values))) }
      : { ok: true, tiers, rows: out };
    port.postMessage(reply);
  } catch (err) {
    port.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) } satisfies ScoreWorkerReply);
  }
});
