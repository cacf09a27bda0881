// PDQ near copies found in the database rather than in memory: the stored slot index
// (hash_pdq_slots) gives candidates sharing a slot within a few bits (multi-index hashing, as
// PdqIndex does in memory), and each candidate is confirmed with the full distance here.
import type { Db } from '../store/bulk.ts';
import { enabledPdqEntries, enabledPdqEntriesOf, maxEnabledPdqThreshold, pdqSlotCandidates } from '../store/hashes.ts';
import { isPdqHex, pdqDistance } from './pdq.ts';
import type { PdqListEntry } from './signals.ts';
import { badInput } from '../model/error.ts';

// All 16-bit values within `radius` bits of 0: the XOR masks of one slot's probes.
function slotMasks(radius: number): number[] {
  const out: number[] = [];
  for (let m = 0; m < 65536; m++) {
    let bits = 0;
    for (let x = m; x; x &= x - 1) bits++;
    if (bits <= radius) out.push(m);
  }
  return out;
}

/** The slot codes to look up for a PDQ value at a distance threshold below 64. */
export function slotProbes(value: string, threshold: number): number[] {
  const masks = slotMasks(Math.floor(threshold / 16));
  const out: number[] = [];
  for (let k = 0; k < 16; k++) {
    const bits = parseInt(value.slice(4 * k, 4 * k + 4), 16);
    for (const m of masks) out.push(k * 65536 + (bits ^ m));
  }
  return out;
}

/** Stored PDQ values (report files and list entries) within `threshold` (< 64) of each of the values. */
export async function nearPdq(db: Db, values: string[], threshold: number): Promise<{ query: string; value: string; distance: number }[]> {
  if (threshold < 0) return [];
  if (threshold >= 64) throw badInput('BAD_OPTION', 'PDQ near search supports thresholds below 64');
  const queries = [...new Set(values)].filter(isPdqHex);
  const out: { query: string; value: string; distance: number }[] = [];
  // A few hundred values per round trip: every value's probes go in one statement.
  for (let i = 0; i < queries.length; i += 500) {
    const part = queries.slice(i, i + 500);
    const probes = part.flatMap((v, q) => slotProbes(v, threshold).map((code) => ({ code, query: q })));
    for (const c of await pdqSlotCandidates(db, probes)) {
      const query = part[c.query]!;
      const distance = pdqDistance(query, c.value);
      if (distance <= threshold) out.push({ query, value: c.value, distance });
    }
  }
  return out;
}

/** PDQ entries of enabled lists that could match any of these values (within the largest list threshold). */
export async function pdqListEntriesNear(db: Db, values: string[]): Promise<PdqListEntry[]> {
  if (values.length === 0) return [];
  const maxT = await maxEnabledPdqThreshold(db);
  if (maxT < 0) return [];
  if (maxT >= 64) return enabledPdqEntries(db);
  const near = [...new Set((await nearPdq(db, values, maxT)).map((n) => n.value))];
  return enabledPdqEntriesOf(db, near);
}
