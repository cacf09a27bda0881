// `generate`: a synthetic, Philippine-bound CyberTipline stream with planted ground truth.
// Reports are built and written one at a time in receipt order (files stream out as they fill);
// only truth and the few reports waiting to be re-sent stay in memory.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { WorldClocks } from './adversarial/clocks.ts';
import { buildWorld } from './adversarial/build.ts';
import { writeSeriesList } from './adversarial/series.ts';
import { applyWorld } from './adversarial/surface.ts';
import { makeCtx, type Ctx, type WorldCtx } from './context.ts';
import { HashPool } from './hashes.ts';
import { ReportSink, type SinkFormat } from './output.ts';
import { INCIDENT_TYPES, mergeParams, overlay, type DeepPartial, type IncidentType, type SynthParams } from './params.ts';
import { generatePayments } from './payments.ts';
import { planStream } from './plan.ts';
import { buildPlanted, buildTrap } from './plants.ts';
import type { Slot } from './plan.ts';
import { buildBackground, type Draft } from './reports.ts';
import { Rng } from './rng.ts';
import type { ReportSpec } from './spec.ts';
import { DAY, HOUR, parseStart, utcDate } from './time.ts';
import { Truth } from './truth.ts';
import { bareFile, envelopeXml, XML_DECL } from './xml-writer.ts';
import { resolveWorld, type World } from './world.ts';
import { GENERATE_FORMATS, type GenerateFormat } from './names.ts';
import { badInput } from '../model/error.ts';

export { defaultParams, loadParams, mergeParams } from './params.ts';
export type { DeepPartial, SynthParams } from './params.ts';
export { loadWorld, resolveWorld, WORLD_NAMES, type World } from './world.ts';
export type { WorldFile, WorldParams } from './world-file.ts';

/** What to generate. */
export interface GenerateOptions {
  /** Number of distinct reports. */
  reports: number;
  seed: number;
  /** Output folder; `reports/`, `truth.json` and `transactions.csv` in it are replaced. */
  out: string;
  /** Days the stream spans (default 30). */
  days?: number;
  /** Rows of transactions.csv (default reports / 2). */
  transactions?: number;
  /** ISO date (or date-time) the stream starts (default 2026-01-01; never the wall clock). */
  start?: string;
  params?: DeepPartial<SynthParams>;
  /**
   * The world: 'standard' (default, today's stream byte for byte), 'adversarial', a world JSON
   * file, or a resolved world. `params` overlays the world's own stream parameters.
   */
  world?: string | World;
  /**
   * Output format: 'xml' (the bundle spec, default), 'lejson' (the JSON law enforcement receives,
   * in `reports/`), or 'both' (XML in `reports/`, the same stream as LE JSON in `reports-lejson/`).
   */
  format?: GenerateFormat;
  onProgress?: (written: number, total: number) => void;
}

export { GENERATE_FORMATS, type GenerateFormat };

/** What was generated. */
export interface GenerateResult {
  /** Absolute paths of every report file, in the order written (both formats for 'both'). */
  files: string[];
  /** The folder of the LE JSON stream, when one was written. */
  leJsonDir?: string;
  reports: number;
  transactions: number;
  /** Bytes of report files on disk (compressed size for .gz). */
  bytes: number;
  truthPath: string;
  transactionsPath: string;
  /** The world generated. */
  world: string;
  /** Hash lists the world ships with its stream (adversarial: its identified series, VICS JSON). */
  hashLists: string[];
}

/** Default first day of the stream. */
export const DEFAULT_START = '2026-01-01';

interface Resend {
  due: number;
  seq: number;
  spec: ReportSpec;
  changed: boolean;
}

/** A binary min-heap of re-sends by due time (ties by order of scheduling). */
class ResendQueue {
  private readonly h: Resend[] = [];

  get size(): number {
    return this.h.length;
  }

  peek(): Resend | undefined {
    return this.h[0];
  }

  private less(a: Resend, b: Resend): boolean {
    return a.due < b.due || (a.due === b.due && a.seq < b.seq);
  }

  push(x: Resend): void {
    const h = this.h;
    h.push(x);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  pop(): Resend | undefined {
    const h = this.h;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}

const NEW_FILE_ANNOTATIONS = ['generativeAi', 'viral', 'physicalHarm', 'possibleSelfProduction', 'animeDrawingVirtualHentai'];

/** A new version of a report as NCMEC re-sends it: a file annotation added or the type changed. */
function newVersion(rng: Rng, spec: ReportSpec): ReportSpec {
  const v = structuredClone(spec);
  const file = v.files.length > 0 && rng.chance(0.6) ? rng.pick(v.files) : undefined;
  if (file) {
    if (file.legacyPotentialMeme) {
      file.legacyPotentialMeme = false;
      file.annotations = ['potentialMeme', 'viral'];
      return v;
    }
    const missing = NEW_FILE_ANNOTATIONS.filter((a) => !file.annotations.includes(a));
    if (missing.length > 0) {
      file.annotations = [...file.annotations, rng.pick(missing)];
      return v;
    }
  }
  const others = INCIDENT_TYPES.filter((t) => t !== v.incidentType);
  v.incidentType = rng.chance(0.7) && v.incidentType !== INCIDENT_TYPES[1] ? INCIDENT_TYPES[1] : (rng.pick(others) as IncidentType);
  if (v.referral !== undefined && rng.chance(0.3)) v.referral = !v.referral;
  return v;
}

function seedOf(seed: number): number {
  const lo = seed >>> 0;
  const hi = Math.floor(seed / 4294967296) | 0;
  return (lo ^ Math.imul(hi, 0x9e3779b1)) | 0;
}

function bareEligible(slot: Slot): boolean {
  if (slot.trap) return slot.trap.type !== 'empty-file-hash';
  // A bare report has no file details: a decoy made of its files must keep them.
  if (slot.world?.kind === 'decoy-known-severe') return false;
  if (slot.world) return slot.category === 'ordinary' || slot.category === 'offender' || slot.category === 'trap';
  return slot.category === 'ordinary' || slot.category === 'offender';
}

/** Generates the stream, transactions.csv and truth.json into `options.out`. */
export async function generate(options: GenerateOptions): Promise<GenerateResult> {
  const reports = options.reports;
  if (!Number.isInteger(reports) || reports < 1) throw badInput('BAD_OPTION', `reports must be a whole number >= 1 (got ${reports})`);
  if (!Number.isFinite(options.seed) || !Number.isInteger(options.seed)) throw badInput('BAD_OPTION', `seed must be a whole number (got ${options.seed})`);
  const days = options.days ?? 30;
  if (!(days > 0) || !Number.isFinite(days)) throw badInput('BAD_OPTION', `days must be a positive number (got ${days})`);
  const format = options.format ?? 'xml';
  if (!(GENERATE_FORMATS as readonly string[]).includes(format))
    throw badInput('BAD_OPTION', `unknown format ${JSON.stringify(format)} (supported: ${GENERATE_FORMATS.join(', ')})`);
  const transactions = options.transactions ?? Math.round(reports / 2);
  if (!Number.isInteger(transactions) || transactions < 0) throw badInput('BAD_OPTION', `transactions must be a whole number >= 0 (got ${transactions})`);
  const start = options.start ?? DEFAULT_START;
  const startMs = parseStart(start);
  const world = typeof options.world === 'object' ? options.world : resolveWorld(options.world);
  const p = overlay(mergeParams(world.params), options.params);

  const out = resolve(options.out);
  const reportsDir = join(out, 'reports');
  rmSync(reportsDir, { recursive: true, force: true });
  mkdirSync(reportsDir, { recursive: true });
  const leJsonDir = format === 'both' ? join(out, 'reports-lejson') : format === 'lejson' ? reportsDir : undefined;
  if (format === 'both') {
    rmSync(leJsonDir!, { recursive: true, force: true });
    mkdirSync(leJsonDir!, { recursive: true });
  }
  const sinkFormat: SinkFormat = leJsonDir === undefined ? { xml: true } : { xml: format === 'both', lejson: { root: leJsonDir } };

  const root = new Rng(seedOf(options.seed), 'bantay-synth');
  const truth = new Truth();
  const ctx = makeCtx(root.fork('ctx'), p, reports, startMs, startMs + days * DAY);
  if (world.world) ctx.world = worldCtx(root, ctx, world, reports);
  const plan = planStream(root.fork('plan'), ctx, truth, reports);
  const surface = root.fork('world-surface');
  const sink = new ReportSink(reportsDir, root.fork('files'), p.output, truth, sinkFormat);
  const content = root.fork('content');
  const shapes = root.fork('shapes');
  const ids = root.fork('ids');
  const queue = new ResendQueue();

  let eligible = 0;
  for (const s of plan.slots) if (bareEligible(s)) eligible++;
  const pBare = eligible > 0 ? Math.min(1, (p.output.bareShare * reports) / eligible) : 0;
  const pSingle = Math.min(1, p.output.singleShare / Math.max(1e-9, 1 - p.output.bareShare));

  const writeEnvelope = async (spec: ReportSpec, day: string, single: boolean): Promise<void> => {
    if (single) await sink.single(XML_DECL + envelopeXml(spec, ''), day);
    else await sink.batch(envelopeXml(spec, '  '), day);
  };
  const drain = async (until: number): Promise<void> => {
    for (let r = queue.peek(); r && r.due <= until; r = queue.peek()) {
      queue.pop();
      const spec = r.changed ? newVersion(shapes, r.spec) : r.spec;
      await writeEnvelope(spec, utcDate(r.due), shapes.chance(pSingle));
      truth.resent(spec.reportId, r.changed);
    }
  };

  let nextId = 100_000_000 + ids.int(0, 400_000_000);
  let seq = 0;
  let written = 0;
  for (const slot of plan.slots) {
    await drain(slot.t);
    nextId += ids.int(1, 37);
    const reportId = String(nextId);
    let d: Draft;
    if (slot.plan) d = buildPlanted(content, ctx, slot.plan, slot.index, reportId);
    else if (slot.trap) d = buildTrap(content, ctx, slot.trap);
    else if (slot.world) d = buildWorld(content, ctx, slot.world, slot.t, slot.category, slot.referral);
    else d = buildBackground(content, ctx, slot.category, slot.t, slot.referral, true, undefined, slot.spike);
    const extras = ctx.world ? applyWorld(surface, ctx, d, slot) : undefined;
    const spec = d.spec;
    spec.reportId = reportId;
    const bare = bareEligible(slot) && shapes.chance(pBare);
    truth.addReport(
      reportId,
      slot.category,
      slot.plan ? slot.plan.subject : (slot.world?.subject ?? null),
      d.esp,
      spec.incidentType,
      bare ? undefined : spec.referral,
    );
    if (extras) truth.annotate(reportId, extras);
    for (const [type, value] of d.traps) truth.noteTrap(type, value, reportId);
    if (slot.spike) truth.spikeReport(slot.spike, reportId);
    const day = utcDate(slot.t);
    if (bare) await sink.bare(bareFile(spec), day, reportId);
    else {
      await writeEnvelope(spec, day, shapes.chance(pSingle));
      const x = shapes.float();
      const changed = x < p.resend.versionShare;
      if (changed || x < p.resend.versionShare + p.resend.duplicateShare) {
        const delay = (p.resend.minDelayHours + shapes.float() * Math.max(0, p.resend.maxDelayHours - p.resend.minDelayHours)) * HOUR;
        queue.push({ due: slot.t + Math.max(DAY, Math.floor(delay / 1000) * 1000), seq: seq++, spec, changed });
      }
    }
    written++;
    if (options.onProgress && written % 1000 === 0) options.onProgress(written, reports);
  }
  await sink.flushBatch();
  await drain(Number.POSITIVE_INFINITY);
  await sink.close();

  const pay = generatePayments(root.fork('payments'), ctx, truth, plan.plants, transactions);
  const transactionsPath = join(out, 'transactions.csv');
  writeFileSync(transactionsPath, pay.csv);
  const truthPath = join(out, 'truth.json');
  truth.write(
    truthPath,
    { seed: options.seed, options: { reports, days, transactions: pay.rows, start }, ...(ctx.world ? { world: world.name } : {}) },
    { transactions: pay.rows },
  );
  const hashLists: string[] = [];
  const listsDir = join(out, 'hashlists');
  rmSync(listsDir, { recursive: true, force: true });
  if (ctx.world) {
    mkdirSync(listsDir, { recursive: true });
    const path = join(listsDir, 'identified-series.json');
    writeSeriesList(path, ctx.world.series, start);
    hashLists.push(path);
  }
  options.onProgress?.(reports, reports);
  return {
    files: sink.files,
    reports,
    transactions: pay.rows,
    bytes: sink.bytes,
    truthPath,
    transactionsPath,
    world: world.name,
    hashLists,
    ...(leJsonDir ? { leJsonDir } : {}),
  };
}

/** A world's state for a run: ESP clocks, its identified series, and every recirculating file. */
function worldCtx(root: Rng, ctx: Ctx, world: World, reports: number): WorldCtx {
  const w = world.world!;
  const series = new HashPool(
    root.fork('world-series'),
    Math.max(12, Math.round((w.decoys.knownSeverePer10k * reports * 1.5) / 10000)),
    0.8,
    ctx.p.files.pdqShare,
  );
  const pooled = new Set<string>();
  for (const pool of [ctx.known, ctx.memes, series]) for (const f of pool.files) pooled.add(f.md5).add(f.sha1).add(f.sha256);
  return { w, clocks: new WorldClocks(root.fork('world-clocks'), w.clocks, Object.keys(ctx.p.esps.mix)), series, pooled };
}
