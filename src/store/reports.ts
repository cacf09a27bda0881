import { createHash } from 'node:crypto';
import { sql, type Insertable, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { CybertipReport, ReportSummary } from '../model/report.ts';
import { gunzipText, gzipText } from './compress.ts';
import type { BantayDatabase, ReportsTable, ReportVersionsTable } from './schema.ts';
import type { BulkCopy, CopyValue } from './copy-text.ts';
import { bulkWrite } from './bulk.ts';
import { markPending } from './pending.ts';
import { iso } from '../model/dates.ts';

/**
 * One report as read from a source, ready to be stored as a version. The document is already
 * serialised and the raw text already compressed, so that this work happens off the database's
 * thread (ingest prepares it in a worker).
 */
export interface VersionInput {
  reportId: string;
  idSource: string;
  summary: ReportSummary;
  /** The canonical report as JSON text. */
  docJson: string;
  /** Hash of docJson: tells changed content from a re-send. */
  contentHash: string;
  /** The raw XML, gzipped. */
  rawGz: Uint8Array;
  rawBytes: number;
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

const REPORT_COLUMNS = [
  'report_id',
  'id_source',
  'current_version',
  'version_count',
  'received_at',
  'incident_type',
  'incident_time',
  'referral',
  'ncmec_priority',
  'country',
  'esp',
  'annotations',
  'escalation',
  'batched',
  'file_count',
  'reported_count',
  'victim_count',
] as const;

// Rows as bulkWrite takes them: the first row's columns, and each row's values in that order.
function byColumns(rows: Record<string, unknown>[]): [string[], CopyValue[][]] {
  const columns = Object.keys(rows[0] ?? {});
  return [columns, rows.map((r) => columns.map((c) => r[c] as CopyValue))];
}

/** The hash that decides whether a report's content changed. */
export function contentHash(docJson: string): string {
  return createHash('sha256').update(docJson).digest('hex');
}

/** Prepares a version for storage: serialises, hashes and compresses (pure; runs in the parse worker). */
export function prepareVersion(r: { reportId: string; idSource: string; summary: ReportSummary; doc: unknown; raw: string; source: string }): VersionInput {
  const docJson = JSON.stringify(r.doc);
  return {
    reportId: r.reportId,
    idSource: r.idSource,
    summary: r.summary,
    docJson,
    contentHash: contentHash(docJson),
    rawGz: gzipText(r.raw),
    rawBytes: Buffer.byteLength(r.raw),
    source: r.source,
  };
}

/** One version of a report as the batch writer orders them. */
interface Slot {
  hash: string;
  /** Received time in ms; null when NCMEC gave none (ordered after every dated version). */
  at: number | null;
  /** The stored version number, or undefined for a version this batch adds. */
  stored?: number;
  input?: VersionInput;
}

// Where a version received at `at` goes among a report's versions: before the first one NCMEC
// received later, else last (a version without a received time goes last too).
function insertAt(slots: Slot[], at: number | null): number {
  if (at === null) return slots.length;
  const i = slots.findIndex((x) => x.at !== null && x.at > at);
  return i === -1 ? slots.length : i;
}

const timeOf = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
};

/**
 * Stores a batch of reports in one transaction: a report number seen for the first time
 * becomes version 1, changed content becomes another version, and content already stored
 * under that number (any earlier version) is a no-op, so re-ingesting a folder changes nothing.
 * Versions are numbered in the order NCMEC received them (an older resend arriving late goes
 * before the newer ones, which move up one), and the current version is the newest received.
 * Concurrent writers of the same reports take turns (a lock per report number for the
 * transaction), and the derived stages are marked in the same transaction as the write.
 */
export async function writeReportBatch(db: Kysely<BantayDatabase>, inputs: VersionInput[], runId: number | null, copy?: BulkCopy): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { newReports: 0, newVersions: 0, unchanged: 0, results: [] };
  if (inputs.length === 0) return outcome;
  return db
    .withTables<{ reports_incoming: ReportsTable }>()
    .transaction()
    .execute(async (tx) => {
      // The staging table is not in the schema type; bulkWrite and markPending take the plain one.
      const rowsTx = tx as unknown as Transaction<BantayDatabase>;
      const ids = [...new Set(inputs.map((i) => i.reportId))].sort();
      // In one order for every writer, so two batches sharing reports never wait on each other in a cycle.
      await sql`select pg_advisory_xact_lock(k) from (select hashtextextended(id, 7) as k from unnest(${ids}::text[]) id order by 1) l`.execute(tx);
      const known = await tx
        .selectFrom('report_versions')
        .select(['report_id', 'version', 'content_hash', 'received_at'])
        .where('report_id', 'in', ids)
        .orderBy('report_id')
        .orderBy('version')
        .execute();
      const slots = new Map<string, Slot[]>();
      for (const row of known) {
        (slots.get(row.report_id) ?? slots.set(row.report_id, []).get(row.report_id)!).push({
          hash: row.content_hash,
          at: row.received_at === null ? null : new Date(row.received_at).getTime(),
          stored: row.version,
        });
      }
      const touched = new Set<string>();
      for (const input of inputs) {
        const list = slots.get(input.reportId) ?? slots.set(input.reportId, []).get(input.reportId)!;
        if (list.some((x) => x.hash === input.contentHash)) {
          outcome.unchanged++;
          outcome.results.push('unchanged');
          continue;
        }
        if (list.length === 0) {
          outcome.newReports++;
          outcome.results.push('new');
        } else {
          outcome.newVersions++;
          outcome.results.push('version');
        }
        const at = timeOf(input.summary.receivedAt);
        list.splice(insertAt(list, at), 0, { hash: input.contentHash, at, input });
        touched.add(input.reportId);
      }
      if (touched.size === 0) return outcome;
      const versionRows: Insertable<ReportVersionsTable>[] = [];
      const renumber: { reportId: string; from: number; to: number }[] = [];
      const reportRows: Insertable<ReportsTable>[] = [];
      const counted: { reportId: string; current: number; count: number }[] = [];
      for (const id of touched) {
        const list = slots.get(id)!;
        list.forEach((x, i) => {
          const version = i + 1;
          if (x.stored !== undefined && x.stored !== version) renumber.push({ reportId: id, from: x.stored, to: version });
          if (x.input) {
            versionRows.push({
              report_id: id,
              version,
              content_hash: x.hash,
              received_at: x.input.summary.receivedAt,
              run_id: runId,
              source: x.input.source,
              raw_gz: x.input.rawGz,
              raw_bytes: x.input.rawBytes,
              doc: x.input.docJson,
            });
          }
        });
        const current = list[list.length - 1]!;
        // The summary row follows the newest received version; when that one was stored already, only its number and the count move.
        if (current.input) reportRows.push(summaryRow(current.input, list.length, list.length));
        else counted.push({ reportId: id, current: list.length, count: list.length });
      }
      if (renumber.length > 0) {
        // Through negative numbers, so no two versions ever hold one number on the way.
        const map = sql`unnest(${renumber.map((r) => r.reportId)}::text[], ${renumber.map((r) => r.from)}::int[], ${renumber.map((r) => r.to)}::int[]) as m(report_id, old, new)`;
        await sql`update report_versions v set version = -m.new from ${map} where v.report_id = m.report_id and v.version = m.old`.execute(tx);
        await sql`update report_versions set version = -version where report_id = any(${[...new Set(renumber.map((r) => r.reportId))]}::text[]) and version < 0`.execute(
          tx,
        );
        await sql`update notes n set report_version = m.new from ${map} where n.kind = 'report' and n.item_id = m.report_id and n.report_version = m.old`.execute(
          tx,
        );
      }
      if (counted.length > 0) {
        await sql`update reports r set current_version = c.cur, version_count = c.n, updated_at = now()
        from unnest(${counted.map((c) => c.reportId)}::text[], ${counted.map((c) => c.current)}::int[], ${counted.map((c) => c.count)}::int[]) as c(id, cur, n)
        where r.report_id = c.id`.execute(tx);
      }
      if (reportRows.length > 0) {
        // Rows are staged in a temporary table (by COPY where the backend allows) and merged in one statement.
        await sql`create temp table if not exists reports_incoming (like reports including defaults) on commit delete rows`.execute(tx);
        await bulkWrite(rowsTx, copy, 'reports_incoming', ...byColumns(reportRows));
        const columns = sql.join(REPORT_COLUMNS.map((c) => sql.ref(c)));
        const updates = sql.join(REPORT_COLUMNS.filter((c) => c !== 'report_id').map((c) => sql`${sql.ref(c)} = excluded.${sql.ref(c)}`));
        await sql`insert into reports (${columns}) select ${columns} from reports_incoming
        on conflict (report_id) do update set ${updates}, updated_at = now()`.execute(tx);
      }
      await bulkWrite(rowsTx, copy, 'report_versions', ...byColumns(versionRows));
      // Every derived stage that reads a report's current version starts from these marks.
      await markPending(rowsTx, 'hash-files', touched);
      await markPending(rowsTx, 'identifiers', touched);
      await markPending(rowsTx, 'features', touched);
      return outcome;
    });
}

function summaryRow(input: VersionInput, version: number, count: number): Insertable<ReportsTable> {
  const s = input.summary;
  return {
    report_id: input.reportId,
    id_source: input.idSource,
    current_version: version,
    version_count: count,
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
}

/** A report's summary row as the API and CLI show it: the current version's summary and its bookkeeping. */
export interface ReportRow extends ReportSummary {
  idSource: string;
  currentVersion: number;
  versionCount: number;
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

function toRow(r: Selectable<ReportsTable>): ReportRow {
  return {
    reportId: r.report_id,
    idSource: r.id_source,
    currentVersion: r.current_version,
    versionCount: r.version_count,
    receivedAt: iso(r.received_at),
    incidentType: r.incident_type,
    incidentTime: iso(r.incident_time),
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
    firstIngestedAt: iso(r.first_ingested_at),
    updatedAt: iso(r.updated_at),
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
    .select(['version', 'content_hash', 'received_at', 'ingested_at', 'source', 'raw_bytes', 'doc'])
    // The compressed original only when asked: it is most of a version's bytes.
    .$if(opts.raw === true, (qb) => qb.select('raw_gz'))
    .where('report_id', '=', reportId)
    .orderBy('version')
    .execute();
  return {
    ...toRow(row),
    versions: versions.map((v) => ({
      version: v.version,
      contentHash: v.content_hash,
      receivedAt: iso(v.received_at),
      ingestedAt: iso(v.ingested_at),
      source: v.source,
      rawBytes: v.raw_bytes,
      report: v.doc,
      ...(opts.raw && v.raw_gz ? { raw: gunzipText(v.raw_gz) } : {}),
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
  const raw = await db
    .selectFrom('report_versions')
    .select(sql<number>`coalesce(sum(raw_bytes), 0)::float8`.as('bytes'))
    .executeTakeFirstOrThrow();
  const quarantined = await db
    .selectFrom('quarantine')
    .select(sql<number>`count(*)::int`.as('n'))
    .executeTakeFirstOrThrow();
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

/** What ordering and evaluation need of every report, without its documents. */
export interface ReportOrderFacts {
  reportId: string;
  escalated: boolean;
  priority: string | null;
  referral: boolean | null;
  receivedAt: string | null;
  versionCount: number;
}

/** The ordering facts of every report (one query; for evaluation and the demo summary). */
export async function reportOrderFacts(db: Kysely<BantayDatabase>): Promise<ReportOrderFacts[]> {
  const rows = await db
    .selectFrom('reports')
    .select(['report_id', sql<boolean>`escalation is not null`.as('escalated'), 'ncmec_priority', 'referral', 'received_at', 'version_count'])
    .execute();
  return rows.map((r) => ({
    reportId: r.report_id,
    escalated: r.escalated,
    priority: r.ncmec_priority,
    referral: r.referral,
    receivedAt: iso(r.received_at),
    versionCount: r.version_count,
  }));
}

/** The newest received_at of any stored report (the "now" of a generated world), or null when none has one. */
export async function newestReceivedAt(db: Kysely<BantayDatabase>): Promise<Date | null> {
  const r = await sql<{ t: string | null }>`select max(received_at)::text as t from reports`.execute(db);
  return r.rows[0]?.t ? new Date(r.rows[0].t) : null;
}

/** How many reports are stored. */
export async function countReports(db: Kysely<BantayDatabase>): Promise<number> {
  const r = await db
    .selectFrom('reports')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Summary rows of the given reports, in the order of the ids given. */
export async function reportRows(db: Kysely<BantayDatabase>, ids: string[]): Promise<ReportRow[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('reports').selectAll().where('report_id', 'in', ids).execute();
  const byId = new Map(rows.map((r) => [r.report_id, toRow(r)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The current canonical documents of some reports (one query per thousand). */
export async function currentDocuments(db: Kysely<BantayDatabase>, ids: string[]): Promise<Map<string, CybertipReport>> {
  const out = new Map<string, CybertipReport>();
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .selectFrom('reports as r')
      .innerJoin('report_versions as v', (j) => j.onRef('v.report_id', '=', 'r.report_id').onRef('v.version', '=', 'r.current_version'))
      .select(['r.report_id', 'v.doc'])
      .where('r.report_id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const r of rows) out.set(r.report_id, r.doc as CybertipReport);
  }
  return out;
}

/** A report whose current version a derived stage (hashes, linking) has not processed yet. */
export interface PendingReport {
  reportId: string;
  version: number;
  seenAt: Date | null;
  doc: unknown;
}

/**
 * Reports for a derived stage to (re)process, in report-id order after `after`: the given ids,
 * all, or those whose current version differs from the version the stage's tracking table
 * (`hashed_reports`, `link_reports`: report_id, version) records.
 */
export async function pendingForStage(
  db: Kysely<BantayDatabase>,
  tracker: 'hashed_reports' | 'link_reports',
  opts: { ids?: string[]; all?: boolean; after?: string; limit: number },
): Promise<PendingReport[]> {
  let q = db
    .selectFrom('reports as r')
    .innerJoin('report_versions as v', (j) => j.onRef('v.report_id', '=', 'r.report_id').onRef('v.version', '=', 'r.current_version'))
    // Both trackers have the same (report_id, version) shape; Kysely cannot type a join on a union of tables.
    .leftJoin(`${tracker} as t` as 'hashed_reports as t', (j) => {
      const on = j.onRef('t.report_id', '=', 'r.report_id');
      return opts.after === undefined || opts.ids ? on : on.on('t.report_id', '>', opts.after);
    })
    .select(['r.report_id', 'r.current_version', 'r.incident_time', 'v.doc'])
    .orderBy('r.report_id')
    .limit(opts.limit);
  // The bound on the joined version too: PostgreSQL does not carry it across the join.
  if (opts.after !== undefined) q = q.where('r.report_id', '>', opts.after).where('v.report_id', '>', opts.after);
  if (opts.ids) q = q.where('r.report_id', 'in', opts.ids.length ? opts.ids : ['']);
  else if (!opts.all) q = q.where((eb) => eb.or([eb('t.version', 'is', null), eb('t.version', '!=', eb.ref('r.current_version'))]));
  const rows = await q.execute();
  return rows.map((r) => ({
    reportId: r.report_id,
    version: r.current_version,
    seenAt: r.incident_time,
    doc: r.doc,
  }));
}
