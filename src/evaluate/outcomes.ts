// Outcomes as an agency would record them, read off a generator's truth, for `bantay rules
// calibrate --outcomes FILE` (issue 17 item 6): CSV `reportId,outcome`, outcome one of urgent,
// actionable, no-action, noise. The split into a calibration part and a held-out part is a
// stable hash of the report number and the seed, so that both worlds and both runs agree.
import { writeFileSync } from 'node:fs';
import type { TruthFile, TruthReport } from './truth-file.ts';

/** An outcome an agency records for a report. */
export type Outcome = 'urgent' | 'actionable' | 'no-action' | 'noise';

/**
 * The outcome truth implies: urgent reports are urgent; viral and meme copies are noise;
 * informational reports (nothing to act on, not a viral copy) are no-action; everything else
 * carries a person or material to pursue and is actionable.
 */
export function outcomeOf(r: TruthReport): Outcome {
  if (r.urgent) return 'urgent';
  if (r.category === 'viral' || r.category === 'meme-batch') return 'noise';
  if (r.category === 'informational') return 'no-action';
  return 'actionable';
}

// FNV-1a: a stable 32-bit hash, so the split does not depend on the order reports are listed.
function fnv(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Splits the truth's reports: `share` of them (by a stable hash with `seed`) to calibrate on, the rest held out. */
export function splitOutcomes(truth: TruthFile, share: number, seed: number): { train: string[]; test: string[] } {
  const train: string[] = [];
  const test: string[] = [];
  const cut = Math.round(share * 0x100000000);
  for (const id of Object.keys(truth.reports)) (fnv(`${seed}:${id}`) < cut ? train : test).push(id);
  return { train, test };
}

/** Writes `reportId,outcome` rows (with a header) for the given reports. */
export function writeOutcomes(path: string, truth: TruthFile, ids: readonly string[]): void {
  const lines = ['reportId,outcome'];
  for (const id of ids) {
    const r = truth.reports[id];
    if (r) lines.push(`${id},${outcomeOf(r)}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}
