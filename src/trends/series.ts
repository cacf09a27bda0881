// The series a report counts toward, from its stored facts (pure). One report counts once per
// series on its Manila day: by ESP, incident type, province, city or municipality, each report or
// file annotation, each hash group its files share with another report, and its subject.
import type { TrendInputRow, TrendKeyRow } from '../store/trends.ts';
import type { Dimension } from '../model/trend-dimensions.ts';

export { DIMENSIONS, type Dimension } from '../model/trend-dimensions.ts';

/** Hours the Philippines is ahead of UTC (no daylight saving): days are Manila days. */
const MANILA_MS = 8 * 3_600_000;

/** The Manila calendar day (YYYY-MM-DD) of a UTC instant. */
export function manilaDay(iso: string | Date): string {
  const t = typeof iso === 'string' ? Date.parse(iso) : iso.getTime();
  return new Date(t + MANILA_MS).toISOString().slice(0, 10);
}

/** Days between two YYYY-MM-DD dates (b − a). */
export function dayDiff(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** The YYYY-MM-DD date `n` days after `day`. */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

/** 0 for Monday … 6 for Sunday. */
export function weekdayOf(day: string): number {
  return (new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7;
}

// Hash types in the order a group prefers them (MD5 is what ESPs, NCMEC and lists share most),
// as the hash stage names viral batches.
const HASH_ORDER = ['md5', 'sha1', 'sha256', 'sha512', 'sha384', 'sha224', 'photodna', 'pdq'];

function hashRank(key: string): number {
  const i = HASH_ORDER.indexOf(key.slice(0, key.indexOf(':')));
  return i === -1 ? HASH_ORDER.length : i;
}

/** A file's group: its preferred hash among those another report carries. */
export function preferredHash(keys: readonly string[]): string | undefined {
  return [...keys].sort((a, b) => hashRank(a) - hashRank(b) || (a < b ? -1 : a > b ? 1 : 0))[0];
}

/** The series keys of one report (none without a receipt time: it belongs to no day). */
export function reportKeys(r: TrendInputRow): TrendKeyRow[] {
  if (!r.receivedAt) return [];
  const day = manilaDay(r.receivedAt);
  const keys = new Map<string, TrendKeyRow>();
  const add = (dim: Dimension, key: string | null | undefined): void => {
    const k = key?.trim();
    if (k) keys.set(`${dim}\u0000${k}`, { reportId: r.reportId, dim, key: k, day });
  };
  add('esp', r.esp ?? 'unknown');
  add('incidentType', r.incidentType);
  add('province', r.provinceCode);
  add('municipality', r.municipalityCode);
  for (const a of new Set([...r.annotations, ...r.fileAnnotations])) add('annotation', a);
  for (const hashes of r.sharedHashes.values()) add('hash', preferredHash(hashes));
  add('subject', r.subjectId);
  return [...keys.values()];
}

/** The corridor of a payment: sender country to receiver country (`??` when unknown). */
export function corridorKey(sender: string | null, receiver: string | null): string {
  const c = (x: string | null): string => (x && /^[A-Za-z]{2}$/.test(x.trim()) ? x.trim().toUpperCase() : '??');
  return `${c(sender)}>${c(receiver)}`;
}
