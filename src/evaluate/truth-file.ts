import { readFileSync } from 'node:fs';
import { badInput } from '../model/error.ts';

/** One report's truth as truth.json states it. */
export interface TruthReport {
  category: string;
  subject: string | null;
  urgent: boolean;
  noise: boolean;
  versions: number;
  duplicates: number;
  /** What a world planted in the report (adversarial world: `new-material-quiet`, `decoy-empty-escalation`...). */
  scenario?: string;
  /** The livestream cluster or sextortion case the report belongs to (adversarial world). */
  cluster?: string;
  /** Labels the world made noisy on the report (adversarial world). */
  labelNoise?: string[];
}

/** A planted subject as truth.json states it. */
export interface TruthSubject {
  id: string;
  kind: string;
  reports: string[];
  identifiers: { kind: string; canonical: string; written: string[] }[];
}

/** The parts of truth.json (docs/generator.md) that evaluation reads. */
export interface TruthFile {
  version: number;
  seed: number;
  /** The world that wrote it (absent: the standard world). */
  world?: string;
  reports: Record<string, TruthReport>;
  subjects: TruthSubject[];
  urgent: string[];
  noise: string[];
  traps: { type: string; value: string; reports: string[] }[];
}

/** Reads and checks truth.json; throws a readable error when it is not one. */
export function readTruth(path: string): TruthFile {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw badInput('BAD_FILE', `cannot read ${path} as JSON: ${err instanceof Error ? err.message : String(err)}`);
  }
  const t = parsed as Partial<TruthFile>;
  const missing = (['reports', 'subjects', 'urgent', 'noise', 'traps'] as const).filter((k) => t[k] === undefined);
  if (typeof parsed !== 'object' || parsed === null || missing.length > 0) {
    throw badInput('BAD_FILE', `${path} is not a Bantay truth file (missing: ${missing.join(', ') || 'everything'}); make one with bantay generate`);
  }
  if (t.version !== 1) throw badInput('BAD_FILE', `${path} has truth version ${String(t.version)}; this Bantay reads version 1`);
  return t as TruthFile;
}
