// Stored enrichment runs beside identifier extraction: it reads the same identifiers (the one
// extraction lives here in src/link) and looks them up in the offline data from src/enrich.
// `runLink` enriches every report it extracts; `runEnrichment` redoes only what is stale (a new
// IP data release, other warninglists), without relinking.

import { ipGeo } from '../enrich/ip-geo.ts';
import { gazetteer } from '../enrich/places.ts';
import { enrichReport, type EnrichContext } from '../enrich/report-enrichment.ts';
import { WarninglistSet } from '../enrich/warninglists.ts';
import { enabledWarninglistFiles } from '../store/warninglists.ts';
import type { CybertipReport } from '../model/report.ts';
import type { Store } from '../store/database.ts';
import { replaceEnrichment, staleEnrichment, type EnrichmentRow } from '../store/enrichment.ts';
import { extractIdentifiers, type ExtractOptions, type Identifier } from './identifiers.ts';
import { loadNamespaces } from './namespace-files.ts';

/** The look-up context and the data version it stands for. */
export interface EnrichSetup {
  ctx: EnrichContext;
  dataVersion: string;
}

/** The shipped IP data and gazetteer, with the warninglists in use. */
export function enrichSetup(warninglists?: WarninglistSet): EnrichSetup {
  const geo = ipGeo();
  return {
    ctx: { geo, places: gazetteer(), warninglists },
    dataVersion: `${geo.dataVersion}; psgc 2025-2Q towns; points 1; warninglists ${warninglists?.fingerprint ?? 'none'}`,
  };
}

/** The warninglists a run uses: the ones given, else the enabled lists imported into the database. */
export async function runWarninglists(store: Pick<Store, 'db'>, given?: WarninglistSet): Promise<WarninglistSet> {
  return given ?? new WarninglistSet(await enabledWarninglistFiles(store.db));
}

/** What extraction uses in a run: the warninglists, the account-namespace table (built in plus the agency's files) and offline IP countries. */
export async function runExtractOptions(store: Pick<Store, 'db'>, warninglists: WarninglistSet, setup: EnrichSetup): Promise<ExtractOptions> {
  return { warninglists, namespaces: await loadNamespaces(store), ipCountry: (ip) => setup.ctx.geo.lookup(ip)?.country };
}

/** The enrichment row of one report version from its identifiers. */
export function enrichmentRow(setup: EnrichSetup, reportId: string, version: number, doc: CybertipReport, ids: Identifier[]): EnrichmentRow {
  const e = enrichReport(doc, ids, setup.ctx);
  return {
    reportId,
    version,
    dataVersion: setup.dataVersion,
    countries: e.countries,
    ipCountries: e.ipCountries,
    phoneCountries: e.phoneCountries,
    carriers: e.carriers,
    asns: e.asns,
    ipFlags: e.ipFlags,
    provinceCode: e.provinceCode,
    provinceCodes: e.provinceCodes,
    municipalityCode: e.municipalityCode,
    point: e.point,
    ipCount: e.ipCount,
    ipPortTimeCount: e.ipPortTimeCount,
    phoneCount: e.phoneCount,
    doc: e.doc,
  };
}

/** Re-enriches reports whose enrichment is missing or stale (or all of them); returns how many. */
export async function runEnrichment(
  store: Pick<Store, 'db' | 'copy'>,
  opts: { all?: boolean; warninglists?: WarninglistSet; batchSize?: number; onProgress?: (done: number) => void } = {},
): Promise<number> {
  const warninglists = await runWarninglists(store, opts.warninglists);
  const setup = enrichSetup(warninglists);
  const extract = await runExtractOptions(store, warninglists, setup);
  const limit = opts.batchSize ?? 2000;
  let done = 0;
  let after: string | undefined;
  for (;;) {
    const batch = await staleEnrichment(store.db, {
      dataVersion: setup.dataVersion,
      ...(opts.all ? { all: true } : {}),
      ...(after !== undefined ? { after } : {}),
      limit,
    });
    if (batch.length === 0) break;
    const rows = batch.map((r) => {
      const doc = r.doc as CybertipReport;
      return enrichmentRow(setup, r.reportId, r.version, doc, extractIdentifiers(doc, extract));
    });
    await replaceEnrichment(store, rows);
    done += batch.length;
    opts.onProgress?.(done);
    after = batch[batch.length - 1]!.reportId;
    if (batch.length < limit) break;
  }
  return done;
}
