// Folds per-code statistics into the units the map draws (HUCs into their province, NCR cities into Metro Manila).
import type { ProvinceStat } from '../api/types.ts';
import { MAP_UNITS, PROVINCES, provinceByCode } from './provinces.ts';

/** A drawn unit with its totals and the PSGC codes it covers. */
export interface UnitTotal {
  id: string;
  name: string;
  centre: [number, number];
  count: number;
  urgent: number;
  codes: string[];
}

/** Totals per map unit; codes the table does not know are returned apart so nothing is silently lost. */
export function aggregateByUnit(stats: readonly ProvinceStat[]): { units: UnitTotal[]; unknown: ProvinceStat[] } {
  const units = new Map<string, UnitTotal>(
    MAP_UNITS.map((u) => [
      u.id,
      {
        id: u.id,
        name: u.name,
        centre: u.centre,
        count: 0,
        urgent: 0,
        codes: PROVINCES.filter((p) => p.mapUnit === u.id).map((p) => p.code),
      },
    ]),
  );
  const unknown: ProvinceStat[] = [];
  for (const s of stats) {
    const p = provinceByCode(s.provinceCode);
    const u = p ? units.get(p.mapUnit) : undefined;
    if (!u) {
      unknown.push(s);
      continue;
    }
    u.count += s.count;
    u.urgent += s.urgent;
  }
  return { units: [...units.values()], unknown };
}

const RAMP = ['#eff3ff', '#c6dbef', '#9ecae1', '#6baed6', '#3182bd', '#08519c'];

/** A colour from a light-to-dark blue ramp for `value` out of `max` (square-root spaced). */
export function rampColour(value: number, max: number): string {
  if (max <= 0 || value <= 0) return RAMP[0] as string;
  const i = Math.min(RAMP.length - 1, 1 + Math.floor(Math.sqrt(value / max) * (RAMP.length - 1)));
  return RAMP[i] as string;
}

/** The ramp, for the legend. */
export const RAMP_COLOURS: readonly string[] = RAMP;
