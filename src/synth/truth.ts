// Ground truth of one run, collected while the reports are written and saved as truth.json (the
// evaluator's answer key; docs/generator.md describes its schema).
import { closeSync, openSync, writeSync } from 'node:fs';
import { internal } from '../model/error.ts';

/** What a report is, from the generator's point of view. */
export type Category = 'viral' | 'meme-batch' | 'informational' | 'ordinary' | 'offender' | 'livestream' | 'sextortion' | 'imminent' | 'new-material' | 'trap';

/** Every category, in a fixed order. */
export const CATEGORIES: readonly Category[] = [
  'viral',
  'meme-batch',
  'informational',
  'ordinary',
  'offender',
  'livestream',
  'sextortion',
  'imminent',
  'new-material',
  'trap',
];

/** Categories whose reports are urgent: a child likely in danger now (domain.md §5.5). */
export const URGENT_CATEGORIES: ReadonlySet<Category> = new Set(['imminent', 'sextortion', 'livestream', 'new-material']);

/** Categories whose reports are noise: nothing to act on (domain.md §2.5, §2.6, §6.2). */
export const NOISE_CATEGORIES: ReadonlySet<Category> = new Set(['viral', 'meme-batch', 'informational']);

/** The kinds of planted subjects. */
export type SubjectKind = 'offender' | 'facilitator' | 'sextortion-offender';

/** Kinds of identifiers recorded for subjects. */
export type IdentifierKind = 'phone' | 'email' | 'esp-user-id' | 'screen-name' | 'device-id' | 'ip-port-time' | 'ip' | 'wallet' | 'group-id';

/** Kinds of trap values (domain.md §7.1 "never" keys; the adversarial world adds §7.6's). */
export type TrapType =
  | 'cgnat-ip'
  | 'empty-file-hash'
  | 'placeholder'
  | 'hub-email'
  | 'vpn-ip'
  | 'public-dns-ip'
  | 'placeholder-esp-user-id'
  | 'placeholder-screen-name'
  | 'placeholder-phone'
  | 'placeholder-email'
  | 'placeholder-device-id'
  | 'placeholder-ip'
  | 'placeholder-wallet'
  | 'esp-contact'
  | 'shared-mailbox'
  | 'id-collision'
  | 'handle-collision'
  | 'ip-port-decoy';

/** File shapes of the bundle spec. */
export type Shape = 'batch' | 'single' | 'bare';

interface ReportTruth {
  category: Category;
  subject: string | null;
  urgent: boolean;
  noise: boolean;
  versions: number;
  duplicates: number;
  /** What a world planted in this report (adversarial world only). */
  scenario?: string;
  /** The livestream cluster or sextortion case the report belongs to (adversarial world only). */
  cluster?: string;
  /** Labels a world made noisy on this report (adversarial world only). */
  labelNoise?: string[];
}

/** What a world adds to a report's truth. */
export interface ReportExtras {
  scenario?: string;
  cluster?: string;
  labelNoise?: string[];
}

interface IdentifierTruth {
  kind: IdentifierKind;
  canonical: string;
  written: Set<string>;
  /** Per written form, the country hint the world planted in its report (phones of the adversarial world). */
  hints?: Map<string, Set<string>>;
}

/** One planted subject and what truth knows about it. */
export class SubjectTruth {
  readonly reports: string[] = [];
  readonly identifiers = new Map<string, IdentifierTruth>();
  readonly receiverIds = new Set<string>();
  readonly senderIds = new Set<string>();

  /** A subject with its id (S00001...) and kind. */
  constructor(
    readonly id: string,
    readonly kind: SubjectKind,
  ) {}

  /** Records that identifier `canonical` of `kind` was written as `written` in one of its reports (with the report's country hints, if given). */
  note(kind: IdentifierKind, canonical: string, written: string, hints?: readonly string[]): void {
    const key = `${kind}\u0000${canonical}`;
    let t = this.identifiers.get(key);
    if (!t) {
      t = { kind, canonical, written: new Set() };
      this.identifiers.set(key, t);
    }
    t.written.add(written);
    if (hints) {
      t.hints ??= new Map();
      const h = t.hints.get(written) ?? t.hints.set(written, new Set()).get(written)!;
      for (const x of hints) h.add(x);
    }
  }
}

/** Truth of a whole run. */
export class Truth {
  readonly reports = new Map<string, ReportTruth>();
  readonly subjects: SubjectTruth[] = [];
  private readonly traps = new Map<string, { type: TrapType; value: string; reports: string[] }>();
  readonly payments = {
    offendingPayers: new Set<string>(),
    offendingReceivers: new Set<string>(),
    hardNegatives: new Set<string>(),
    sextortionPayers: new Set<string>(),
  };
  readonly esps = new Map<string, number>();
  readonly incidentTypes = new Map<string, number>();
  readonly referral = { referral: 0, informational: 0, bare: 0 };
  readonly shapes: Record<Shape, { files: number; entries: number }> = {
    batch: { files: 0, entries: 0 },
    single: { files: 0, entries: 0 },
    bare: { files: 0, entries: 0 },
  };
  gzipFiles = 0;
  /** Planted spikes and the extra reports each brought. */
  readonly spikes = new Map<object, { dimension: string; value: string; start: string; days: number; factor: number; reports: string[] }>();

  /** Notes a report as one of a planted spike's extra reports. */
  spikeReport(spike: { dimension: string; value: string; start: string; days: number; factor: number }, reportId: string): void {
    const s = this.spikes.get(spike) ?? this.spikes.set(spike, { ...spike, reports: [] }).get(spike)!;
    s.reports.push(reportId);
  }

  /** A new subject with the next id. */
  newSubject(kind: SubjectKind): SubjectTruth {
    const s = new SubjectTruth(`S${String(this.subjects.length + 1).padStart(5, '0')}`, kind);
    this.subjects.push(s);
    return s;
  }

  /** Records a report as first sent. */
  addReport(id: string, category: Category, subject: SubjectTruth | null, esp: string, incidentType: string, referral: boolean | undefined): void {
    if (this.reports.has(id)) throw internal(`report id ${id} used twice`);
    this.reports.set(id, {
      category,
      subject: subject ? subject.id : null,
      urgent: URGENT_CATEGORIES.has(category),
      noise: NOISE_CATEGORIES.has(category),
      versions: 1,
      duplicates: 0,
    });
    if (subject) subject.reports.push(id);
    bump(this.esps, esp);
    bump(this.incidentTypes, incidentType);
    if (referral === undefined) this.referral.bare++;
    else if (referral) this.referral.referral++;
    else this.referral.informational++;
  }

  /** Adds a world's extras to a report's truth (scenario, cluster, noisy labels). */
  annotate(id: string, extras: ReportExtras): void {
    const r = this.reports.get(id);
    if (!r) throw internal(`extras for unknown report ${id}`);
    if (extras.scenario !== undefined) r.scenario = extras.scenario;
    if (extras.cluster !== undefined) r.cluster = extras.cluster;
    if (extras.labelNoise && extras.labelNoise.length > 0) r.labelNoise = [...(r.labelNoise ?? []), ...extras.labelNoise];
  }

  /** Records a re-send: a new version (changed content) or an exact duplicate. */
  resent(id: string, changed: boolean): void {
    const r = this.reports.get(id);
    if (!r) throw internal(`re-send of unknown report ${id}`);
    if (changed) r.versions++;
    else r.duplicates++;
  }

  /** Records that a trap value appears in a report. */
  noteTrap(type: TrapType, value: string, reportId: string): void {
    const key = `${type}\u0000${value}`;
    let t = this.traps.get(key);
    if (!t) {
      t = { type, value, reports: [] };
      this.traps.set(key, t);
    }
    if (t.reports[t.reports.length - 1] !== reportId) t.reports.push(reportId);
  }

  /** Counts a written file of a shape holding `entries` report entries. */
  countFile(shape: Shape, entries: number, gz: boolean): void {
    this.shapes[shape].files++;
    this.shapes[shape].entries += entries;
    if (gz) this.gzipFiles++;
  }

  /** Trap values shared by at least two reports, sorted by type then value. */
  trapList(): { type: TrapType; value: string; reports: string[] }[] {
    return [...this.traps.values()].filter((t) => t.reports.length >= 2).sort((a, b) => (a.type === b.type ? cmp(a.value, b.value) : cmp(a.type, b.type)));
  }

  /** Writes truth.json, one report per line so that huge runs never build one giant string. */
  write(path: string, header: { seed: number; options: Record<string, unknown>; world?: string }, extraCounts: Record<string, number>): void {
    const fd = openSync(path, 'w');
    let buf = '';
    const put = (s: string): void => {
      buf += s;
      if (buf.length > 1 << 20) {
        writeSync(fd, buf);
        buf = '';
      }
    };
    try {
      const world = header.world === undefined ? '' : `\n"world": ${JSON.stringify(header.world)},`;
      put(`{\n"version": 1,\n"seed": ${JSON.stringify(header.seed)},\n"options": ${JSON.stringify(header.options)},${world}\n"reports": {`);
      let first = true;
      for (const [id, r] of this.reports) {
        put(`${first ? '' : ','}\n  ${JSON.stringify(id)}: ${JSON.stringify(r)}`);
        first = false;
      }
      put('\n},\n"subjects": [');
      first = true;
      for (const s of this.subjects) {
        const obj = {
          id: s.id,
          kind: s.kind,
          reports: s.reports,
          identifiers: [...s.identifiers.values()].map((i) => ({
            kind: i.kind,
            canonical: i.canonical,
            written: [...i.written],
            ...(i.hints ? { hints: Object.fromEntries([...i.hints].map(([w, h]) => [w, [...h].sort()])) } : {}),
          })),
          payments: { receiverIds: [...s.receiverIds].sort(), senderIds: [...s.senderIds].sort() },
        };
        put(`${first ? '' : ','}\n  ${JSON.stringify(obj)}`);
        first = false;
      }
      const urgent: string[] = [];
      const noise: string[] = [];
      const categories: Record<string, number> = {};
      for (const c of CATEGORIES) categories[c] = 0;
      for (const [id, r] of this.reports) {
        if (r.urgent) urgent.push(id);
        if (r.noise) noise.push(id);
        categories[r.category] = (categories[r.category] ?? 0) + 1;
      }
      put(`\n],\n"urgent": ${JSON.stringify(urgent)},\n"noise": ${JSON.stringify(noise)},\n"traps": [`);
      first = true;
      for (const t of this.trapList()) {
        put(`${first ? '' : ','}\n  ${JSON.stringify(t)}`);
        first = false;
      }
      const sorted = (s: Set<string>): string[] => [...s].sort();
      const payments = {
        offendingPayers: sorted(this.payments.offendingPayers),
        offendingReceivers: sorted(this.payments.offendingReceivers),
        hardNegatives: sorted(this.payments.hardNegatives),
        sextortionPayers: sorted(this.payments.sextortionPayers),
      };
      let versions = 0;
      let duplicates = 0;
      for (const r of this.reports.values()) {
        versions += r.versions - 1;
        duplicates += r.duplicates;
      }
      const counts = {
        reports: this.reports.size,
        categories,
        esps: sortedRecord(this.esps),
        incidentTypes: sortedRecord(this.incidentTypes),
        referral: this.referral,
        shapes: this.shapes,
        files: this.shapes.batch.files + this.shapes.single.files + this.shapes.bare.files,
        gzipFiles: this.gzipFiles,
        versions,
        duplicates,
        urgent: urgent.length,
        noise: noise.length,
        subjects: this.subjects.length,
        traps: this.trapList().length,
        ...extraCounts,
      };
      // Written only when spikes were planted, so that other streams stay byte-identical.
      if (this.spikes.size > 0) put(`\n],\n"spikes": ${JSON.stringify([...this.spikes.values()])}`);
      put(`${this.spikes.size > 0 ? '' : '\n]'},\n"payments": ${JSON.stringify(payments)},\n"counts": ${JSON.stringify(counts, null, 1)}\n}\n`);
      writeSync(fd, buf);
    } finally {
      closeSync(fd);
    }
  }
}

function bump(m: Map<string, number>, k: string): void {
  m.set(k, (m.get(k) ?? 0) + 1);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortedRecord(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k)!;
  return out;
}
