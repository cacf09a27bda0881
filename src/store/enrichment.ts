// The stored enrichment of each report's current version (table report_enrichment).

import type { Kysely } from 'kysely';
import type { Store } from './database.ts';
import { upsertRows, type Db } from './bulk.ts';
import type { BulkCopy } from './copy-text.ts';
import { markAll, reportChanged } from './pending.ts';
import type { BantayDatabase } from './schema.ts';

/** One report's enrichment as written. */
export interface EnrichmentRow {
  reportId: string;
  version: number;
  dataVersion: string;
  countries: string[];
  ipCountries: string[];
  phoneCountries: string[];
  carriers: string[];
  asns: number[];
  ipFlags: string[];
  provinceCode: string | null;
  provinceCodes: string[];
  /** PSGC code of the city or municipality (null when the town is unknown). */
  municipalityCode?: string | null;
  /** The report's own point for the map (null: nothing in it places it). */
  point?: StoredPoint | null;
  ipCount: number;
  ipPortTimeCount: number;
  phoneCount: number;
  doc: unknown;
}

/** A report's point as stored (see ReportPoint in src/enrich/report-enrichment.ts). */
export interface StoredPoint {
  source: string;
  precision: string;
  role: string | null;
  code: string | null;
  lat: number | null;
  lon: number | null;
}

const COLUMNS = [
  'report_id',
  'version',
  'data_version',
  'countries',
  'ip_countries',
  'phone_countries',
  'carriers',
  'asns',
  'ip_flags',
  'province_code',
  'province_codes',
  'ip_count',
  'ip_port_time_count',
  'phone_count',
  'doc',
  'municipality_code',
  'point_source',
  'point_precision',
  'point_role',
  'point_code',
  'point_lat',
  'point_lon',
];

/** Stores the enrichment of these reports and marks the scores of those whose enrichment changed (one transaction). */
export async function replaceEnrichment(store: Pick<Store, 'db' | 'copy'>, rows: EnrichmentRow[]): Promise<void> {
  if (rows.length === 0) return;
  await store.db.transaction().execute(async (tx) => {
    await markAll(tx, reportChanged(await writeEnrichment(tx, store.copy, rows)));
  });
}

/** Upserts enrichment rows within the caller's transaction; an unchanged row keeps its updated_at. Returns the reports whose row changed. */
export async function writeEnrichment(db: Db, copy: BulkCopy | undefined, rows: EnrichmentRow[]): Promise<string[]> {
  return upsertRows(
    db,
    copy,
    'report_enrichment',
    COLUMNS,
    ['report_id'],
    rows.map((r) => [
      r.reportId,
      r.version,
      r.dataVersion,
      r.countries,
      r.ipCountries,
      r.phoneCountries,
      r.carriers,
      // integer[] travels as text in COPY and as a literal in an INSERT: one form for both.
      `{${r.asns.join(',')}}`,
      r.ipFlags,
      r.provinceCode,
      r.provinceCodes,
      r.ipCount,
      r.ipPortTimeCount,
      r.phoneCount,
      JSON.stringify(r.doc),
      r.municipalityCode ?? null,
      r.point?.source ?? null,
      r.point?.precision ?? null,
      r.point?.role ?? null,
      r.point?.code ?? null,
      r.point?.lat ?? null,
      r.point?.lon ?? null,
    ]),
    { touch: 'updated_at' },
  );
}

/** The stored enrichment of a report, or undefined when it has none yet. */
export async function getEnrichment(db: Kysely<BantayDatabase>, reportId: string): Promise<EnrichmentRow | undefined> {
  return (await getEnrichmentRows(db, [reportId]))[0];
}

/** The stored enrichment of these reports (those that have one). */
export async function getEnrichmentRows(db: Db, reportIds: string[]): Promise<EnrichmentRow[]> {
  if (reportIds.length === 0) return [];
  const rows = await db.selectFrom('report_enrichment').selectAll().where('report_id', 'in', reportIds).execute();
  return rows.map((r) => ({
    reportId: r.report_id,
    version: r.version,
    dataVersion: r.data_version,
    countries: r.countries,
    ipCountries: r.ip_countries,
    phoneCountries: r.phone_countries,
    carriers: r.carriers,
    asns: r.asns.map(Number),
    ipFlags: r.ip_flags,
    provinceCode: r.province_code,
    provinceCodes: r.province_codes,
    municipalityCode: r.municipality_code,
    point:
      r.point_source === null || r.point_precision === null
        ? null
        : {
            source: r.point_source,
            precision: r.point_precision,
            role: r.point_role,
            code: r.point_code,
            lat: r.point_lat === null ? null : Number(r.point_lat),
            lon: r.point_lon === null ? null : Number(r.point_lon),
          },
    ipCount: r.ip_count,
    ipPortTimeCount: r.ip_port_time_count,
    phoneCount: r.phone_count,
    doc: r.doc,
  }));
}

/** A report whose enrichment is missing, of an older version, or made with other data. */
export interface StaleReport {
  reportId: string;
  version: number;
  doc: unknown;
}

/** The next batch of reports to enrich, in report id order after `after`. */
export async function staleEnrichment(
  db: Kysely<BantayDatabase>,
  opts: { dataVersion: string; all?: boolean; after?: string; limit: number },
): Promise<StaleReport[]> {
  let q = db
    .selectFrom('reports as r')
    .innerJoin('report_versions as v', (j) => j.onRef('v.report_id', '=', 'r.report_id').onRef('v.version', '=', 'r.current_version'))
    .leftJoin('report_enrichment as e', (j) => {
      const on = j.onRef('e.report_id', '=', 'r.report_id');
      return opts.after === undefined ? on : on.on('e.report_id', '>', opts.after);
    })
    .select(['r.report_id', 'r.current_version', 'v.doc'])
    .orderBy('r.report_id')
    .limit(opts.limit);
  // The bound on the joined version too: PostgreSQL does not carry it across the join.
  if (opts.after !== undefined) q = q.where('r.report_id', '>', opts.after).where('v.report_id', '>', opts.after);
  if (!opts.all) {
    q = q.where((eb) =>
      eb.or([eb('e.report_id', 'is', null), eb('e.version', '<>', eb.ref('r.current_version')), eb('e.data_version', '<>', opts.dataVersion)]),
    );
  }
  const rows = await q.execute();
  return rows.map((r) => ({ reportId: r.report_id, version: r.current_version, doc: r.doc }));
}

/** How many reports are enriched, per data version. */
export async function enrichmentCounts(db: Kysely<BantayDatabase>): Promise<{ dataVersion: string; reports: number }[]> {
  const rows = await db
    .selectFrom('report_enrichment')
    .select(['data_version'])
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .groupBy('data_version')
    .execute();
  return rows.map((r) => ({ dataVersion: r.data_version, reports: Number(r.n) }));
}
