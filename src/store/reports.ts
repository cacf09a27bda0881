import { createHash } from 'node:crypto';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ReportSummary } from '../model/report.ts';
import { gunzipText, gzipText } from './compress.ts';
import type { BantayDatabase, ReportsTable } from './schema.ts';

/** One report as read from a source, ready to be stored as a version. */
export interface VersionInput {
  reportId: string;
  idSource: string;
  summary: ReportSummary;
  /** The canonical report; stored as JSON and hashed to tell changed content from a re-send. */
  doc: unknown;
  raw: string;
  /** Where it came from: file, zip entry and line. */
  source: string;
}

/** What writing a batch did. */
export interface BatchOutcome {
  newReports: number;
  newVersions: number;
  unchanged: number;
  /** Per input, in order: what happened to it. */
  results: ('new' | 'version' | 'unchanged')[];
}

/** The hash that decides whether a report's content changed. */
export function contentHash(doc: unknown): string {
  return createHash('sha256').update(JSON.stringify(doc)).digest('hex');
}

/**
 * Stores a batch of reports in one transaction: a report number seen for the first time
 * becomes version 1, changed content becomes the next version, and content already stored
 * under that number (any earlier version) is a no-op, so re-ingesting a folder changes nothing.
 */
export async function writeReportBatch(db: Kysely<BantayDatabase>, inputs: VersionInput[], runId: number | null): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { newReports: 0, newVersions: 0, unchanged: 0, results: [] };
  if (inputs.length === 0) return outcome;
  return db.transaction().execute(async (tx) => {
    const ids = [...new Set(inputs.map((i) => i.reportId))];
    const known = await tx
      .selectFrom('report_versions')
      .select(['report_id', 'version', 'content_hash'])
      .where('report_id', 'in', ids)
      .execute();
    const hashes = new Map<string, Set<string>>();
    const latest = new Map<string, number>();
    for (const row of known) {
      let set = hashes.get(row.report_id);
      if (!set) hashes.set(row.report_id, (set = new Set()));
      set.add(row.content_hash);
      latest.set(row.report_id, Math.max(latest.get(row.report_id) ?? 0, row.version));
    }
    const versionRows: Parameters<ReturnType<typeof tx.insertInto<'report_versions'>>['values']>[0] = [];
    const current = new Map<string, { input: VersionInput; version: number }>();
    for (const input of inputs) {
      const hash = contentHash(input.doc);
      let set = hashes.get(input.reportId);
      if (set?.has(hash)) {
        outcome.unchanged++;
        outcome.results.push('unchanged');
        continue;
      }
      if (!set) hashes.set(input.reportId, (set = new Set()));
      set.add(hash);
      const version = (latest.get(input.reportId) ?? 0) + 1;
      latest.set(input.reportId, version);
      if (version === 1) {
        outcome.newReports++;
        outcome.results.push('new');
      } else {
        outcome.newVersions++;
        outcome.results.push('version');
      }
      current.set(input.reportId, { input, version });
      versionRows.push({
        report_id: input.reportId,
        version,
        content_hash: hash,
        received_at: input.summary.receivedAt,
        run_id: runId,
        source: input.source,
        raw_gz: gzipText(input.raw),
        raw_bytes: Buffer.byteLength(input.raw),
        doc: JSON.stringify(input.doc),
      });
    }
    if (current.size === 0) return outcome;
    const reportRows = [...current.values()].map(({ input, version }) => {
      const s = input.summary;
      return {
        report_id: input.reportId,
        id_source: input.idSource,
        current_version: version,
        version_count: version,
        received_at: s.receivedAt,
        incident_type: s.incidentType,
        incident_time: s.incidentTime,
        referral: s.referral,
        ncmec_priority: s.priority,
        country: s.country,
        esp: s.esp,
        annotations: s.annotations,
        escalation: s.escalation,
        batched: s.batched,
        file_count: s.fileCount,
        reported_count: s.reportedCount,
        victim_count: s.victimCount,
      };
    });
    // The summary row follows the newest version; the raw versions are inserted after it
    // because they reference it.
    await tx
      .insertInto('reports')
      .values(reportRows)
      .onConflict((oc) =>
        oc.column('report_id').doUpdateSet((eb) => ({
          id_source: eb.ref('excluded.id_source'),
          current_version: eb.ref('excluded.current_version'),
          version_count: eb.ref('excluded.version_count'),
          received_at: eb.ref('excluded.received_at'),
          incident_type: eb.ref('excluded.incident_type'),
          incident_time: eb.ref('excluded.incident_time'),
          referral: eb.ref('excluded.referral'),
          ncmec_priority: eb.ref('excluded.ncmec_priority'),
          country: eb.ref('excluded.country'),
          esp: eb.ref('excluded.esp'),
          annotations: eb.ref('excluded.annotations'),
          escalation: eb.ref('excluded.escalation'),
          batched: eb.ref('excluded.batched'),
          file_count: eb.ref('excluded.file_count'),
          reported_count: eb.ref('excluded.reported_count'),
          victim_count: eb.ref('excluded.victim_count'),
          updated_at: sql`now()`,
        })),
      )
      .execute();
    for (let i = 0; i < versionRows.length; i += 1000) {
      await tx.insertInto('report_versions').values(versionRows.slice(i, i + 1000)).execute();
    }
    return outcome;
  });
}

/** A report's summary row as the API and CLI show it. */
export interface ReportRow {
  reportId: string;
  idSource: string;
  currentVersion: number;
  versionCount: number;
  receivedAt: string | null;
  incidentType: string;
  incidentTime: string;
  referral: boolean | null;
  priority: string | null;
  country: string | null;
  esp: string | null;
  annotations: string[];
  escalation: string | null;
  batched: boolean;
  fileCount: number;
  reportedCount: number;
  victimCount: number;
  firstIngestedAt: string;
  updatedAt: string;
}

/** One stored version of a report. */
export interface ReportVersion {
  version: number;
  contentHash: string;
  receivedAt: string | null;
  ingestedAt: string;
  source: string;
  rawBytes: number;
  report: unknown;
  raw?: string;
}

const iso = (d: Date | string | null): string | null => (d === null ? null : new Date(d).toISOString());

function toRow(r: Selectable<ReportsTable>): ReportRow {
  return {
    reportId: r.report_id,
    idSource: r.id_source,
    currentVersion: r.current_version,
    versionCount: r.version_count,
    receivedAt: iso(r.received_at),
    incidentType: r.incident_type,
    incidentTime: iso(r.incident_time)!,
    referral: r.referral,
    priority: r.ncmec_priority,
    country: r.country,
    esp: r.esp,
    annotations: r.annotations,
    escalation: r.escalation,
    batched: r.batched,
    fileCount: r.file_count,
    reportedCount: r.reported_count,
    victimCount: r.victim_count,
    firstIngestedAt: iso(r.first_ingested_at)!,
    updatedAt: iso(r.updated_at)!,
  };
}

/** A report with every version it arrived in (newest last), or undefined. */
export async function getReport(
  db: Kysely<BantayDatabase>,
  reportId: string,
  opts: { raw?: boolean } = {},
): Promise<(ReportRow & { versions: ReportVersion[] }) | undefined> {
  const row = await db.selectFrom('reports').selectAll().where('report_id', '=', reportId).executeTakeFirst();
  if (!row) return undefined;
  const versions = await db
    .selectFrom('report_versions')
    .select(['version', 'content_hash', 'received_at', 'ingested_at', 'source', 'raw_bytes', 'doc', 'raw_gz'])
    .where('report_id', '=', reportId)
    .orderBy('version')
    .execute();
  return {
    ...toRow(row),
    versions: versions.map((v) => ({
      version: v.version,
      contentHash: v.content_hash,
      receivedAt: iso(v.received_at),
      ingestedAt: iso(v.ingested_at)!,
      source: v.source,
      rawBytes: v.raw_bytes,
      report: v.doc,
      ...(opts.raw ? { raw: gunzipText(v.raw_gz) } : {}),
    })),
  };
}

/** Report summaries, newest received first, a page at a time. */
export async function listReports(db: Kysely<BantayDatabase>, opts: { limit?: number; offset?: number } = {}): Promise<ReportRow[]> {
  const rows = await db
    .selectFrom('reports')
    .selectAll()
    .orderBy('received_at', (ob) => ob.desc().nullsLast())
    .orderBy('report_id')
    .limit(Math.max(1, Math.min(opts.limit ?? 50, 100_000)))
    .offset(Math.max(0, opts.offset ?? 0))
    .execute();
  return rows.map(toRow);
}

/** Counts for `bantay stats`. */
export interface StoreStats {
  reports: number;
  versions: number;
  reportsWithSeveralVersions: number;
  referral: number;
  informational: number;
  batched: number;
  escalated: number;
  quarantined: number;
  rawBytes: number;
  byIncidentType: { value: string; count: number }[];
  byEsp: { value: string | null; count: number }[];
  receivedFrom: string | null;
  receivedTo: string | null;
}

/** Counts of what the database holds. */
export async function storeStats(db: Kysely<BantayDatabase>): Promise<StoreStats> {
  const totals = await db
    .selectFrom('reports')
    .select([
      sql<number>`count(*)::int`.as('reports'),
      sql<number>`coalesce(sum(version_count), 0)::int`.as('versions'),
      sql<number>`count(*) filter (where version_count > 1)::int`.as('multi'),
      sql<number>`count(*) filter (where referral is true)::int`.as('referral'),
      sql<number>`count(*) filter (where referral is false)::int`.as('informational'),
      sql<number>`count(*) filter (where batched)::int`.as('batched'),
      sql<number>`count(*) filter (where escalation is not null)::int`.as('escalated'),
      sql<Date | null>`min(received_at)`.as('from'),
      sql<Date | null>`max(received_at)`.as('to'),
    ])
    .executeTakeFirstOrThrow();
  const raw = await db.selectFrom('report_versions').select(sql<number>`coalesce(sum(raw_bytes), 0)::float8`.as('bytes')).executeTakeFirstOrThrow();
  const quarantined = await db.selectFrom('quarantine').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
  const byType = await db
    .selectFrom('reports')
    .select(['incident_type as value', sql<number>`count(*)::int`.as('count')])
    .groupBy('incident_type')
    .orderBy('count', 'desc')
    .execute();
  const byEsp = await db
    .selectFrom('reports')
    .select(['esp as value', sql<number>`count(*)::int`.as('count')])
    .groupBy('esp')
    .orderBy('count', 'desc')
    .execute();
  return {
    reports: totals.reports,
    versions: totals.versions,
    reportsWithSeveralVersions: totals.multi,
    referral: totals.referral,
    informational: totals.informational,
    batched: totals.batched,
    escalated: totals.escalated,
    quarantined: quarantined.n,
    rawBytes: Number(raw.bytes),
    byIncidentType: byType,
    byEsp,
    receivedFrom: iso(totals.from),
    receivedTo: iso(totals.to),
  };
}
