// Shared state of one generation run: parameters, weight tables, pools and the registry that keeps
// unrelated people from sharing identifiers by chance.
import type { WorldClocks } from './adversarial/clocks.ts';
import { ESPS } from './data/esps.ts';
import { PROVINCES, type Province } from './data/provinces.ts';
import { HashPool } from './hashes.ts';
import { IpPools } from './ips.ts';
import type { IncidentType, PhoneFormat, SynthParams } from './params.ts';
import { Unique } from './phones.ts';
import { Rng, WeightedTable } from './rng.ts';
import type { WorldParams } from './world-file.ts';

/** What a non-standard world adds to a run: its rates, its ESPs' clocks, its identified series. */
export interface WorldCtx {
  w: WorldParams;
  clocks: WorldClocks;
  /** Files of identified series (the world's known-hash list); severe-but-known decoys draw from it. */
  series: HashPool;
  /** MD5s of every file that recirculates (known, meme and series pools): not new material. */
  pooled: ReadonlySet<string>;
}

/** Everything the builders of one run share. */
export interface Ctx {
  p: SynthParams;
  unique: Unique;
  ips: IpPools;
  memes: HashPool;
  known: HashPool;
  esp: WeightedTable<string>;
  incident: WeightedTable<IncidentType>;
  phoneFormat: WeightedTable<PhoneFormat>;
  tz: WeightedTable<string>;
  province: WeightedTable<string>;
  priority: WeightedTable<string>;
  provinces: ReadonlyMap<string, Province>;
  /** Stream start and end (epoch ms). */
  start: number;
  end: number;
  /** ESP names in the mix that have chat, for planted conversations. */
  espNames: readonly string[];
  /** The world's own rates and state; absent in the standard world. */
  world?: WorldCtx;
}

/** Builds the context of a run of `reports` reports. */
export function makeCtx(rng: Rng, p: SynthParams, reports: number, start: number, end: number): Ctx {
  const provinces = new Map(PROVINCES.map((x) => [x.code, x] as const));
  const referralShare = 1 - p.informationalShare * (1 - p.sparse.informationalFactor);
  const expectedMobileEvents = reports * referralShare * p.sparse.reportedPerson * p.sparse.ipEvents * p.ip.eventsMean * p.ip.mobileShare;
  const espNames = Object.keys(p.esps.mix)
    .filter((k) => (p.esps.mix[k] ?? 0) > 0)
    .sort();
  return {
    p,
    unique: new Unique(),
    ips: new IpPools(rng.fork('ip-pools'), p.ip, expectedMobileEvents),
    memes: new HashPool(rng.fork('memes'), p.viral.memeHashCount, p.viral.memeZipf, 0.9),
    known: new HashPool(rng.fork('known'), Math.max(20, (p.files.knownPoolPer10k * reports) / 10000), 0.6, p.files.pdqShare),
    esp: new WeightedTable(p.esps.mix),
    incident: new WeightedTable(p.incidentMix),
    phoneFormat: new WeightedTable(p.phones.formatMix),
    tz: new WeightedTable(p.timeZoneMix),
    province: new WeightedTable(Object.fromEntries(Object.entries(p.provinceWeights).filter(([k]) => provinces.has(k)))),
    priority: new WeightedTable(p.envelope.priorityMix),
    provinces,
    start,
    end,
    espNames: espNames.length > 0 ? espNames : Object.keys(ESPS).sort(),
  };
}

/** The province with a PSGC code (falls back to the first one). */
export function provinceOf(ctx: Ctx, code: string): Province {
  return ctx.provinces.get(code) ?? PROVINCES[0]!;
}

/** A province drawn by the configured weights. */
export function drawProvince(ctx: Ctx, rng: Rng): Province {
  return provinceOf(ctx, ctx.province.draw(rng));
}
