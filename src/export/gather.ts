// Reads everything an export of a target shows, in a handful of queries: the reports' current
// documents, the hash stage's signals, the link stage's direct links, and the summary rows of
// linked reports outside the target.

import type { WarninglistSet } from '../enrich/warninglists.ts';
import type { FileSignal } from '../hashes/signals.ts';
import { reportLinks } from '../link/query.ts';
import { compareReportIds } from '../link/subjects.ts';
import type { Store } from '../store/database.ts';
import { readReportSignals } from '../hashes/evidence.ts';
import { reportRows, type ReportRow } from '../store/reports.ts';
import { ipTableRows, type IpGeoSource, type IpRow } from './iptable.ts';
import { mediaRows, type MediaRow } from './media.ts';
import { resolveTarget, type ExportTarget, type ResolvedTarget } from './target.ts';

/** A report linked to the target from outside it, with why. */
export interface LinkedReport {
  reportId: string;
  /** Its summary row (null when it is no longer stored). */
  summary: ReportRow | null;
  /** The target's reports it is directly linked to. */
  via: string[];
  /** The shared identifiers, as `kind value`. */
  shared: string[];
}

/** Everything an export of one target needs. */
export interface ExportData extends ResolvedTarget {
  summaries: ReportRow[];
  ips: IpRow[];
  media: MediaRow[];
  linked: LinkedReport[];
  /** The IP data release used, when geolocation was available. */
  geoVersion?: string | undefined;
}

/** Side inputs of gathering: the offline IP data and the warninglists (both optional). */
export interface GatherOptions {
  geo?: IpGeoSource | undefined;
  warninglists?: WarninglistSet | undefined;
}

/** Gathers a target's export data; throws NOT_FOUND when the target holds no report. */
export async function gatherExportData(store: Pick<Store, 'db'>, target: ExportTarget, opts: GatherOptions = {}): Promise<ExportData> {
  const resolved = await resolveTarget(store, target);
  const ids = resolved.reports.map((r) => r.reportId);
  const signals = new Map<string, FileSignal[]>();
  for (const s of await readReportSignals(store.db, ids)) signals.set(s.reportId, s.evidence);
  const inside = new Set(ids);
  const linked = new Map<string, { via: Set<string>; shared: Set<string> }>();
  for (const id of ids) {
    for (const l of (await reportLinks(store, id)).linked) {
      if (inside.has(l.reportId)) continue;
      let e = linked.get(l.reportId);
      if (!e) linked.set(l.reportId, (e = { via: new Set(), shared: new Set() }));
      e.via.add(id);
      for (const s of l.shared) e.shared.add(`${s.kind} ${s.value}`);
    }
  }
  const linkedIds = [...linked.keys()].sort(compareReportIds);
  const rows = await reportRows(store.db, [...ids, ...linkedIds]);
  const byId = new Map(rows.map((r) => [r.reportId, r]));
  return {
    ...resolved,
    summaries: ids.flatMap((id) => byId.get(id) ?? []),
    ips: ipTableRows(resolved.reports, opts),
    media: mediaRows(resolved.reports, signals),
    linked: linkedIds.map((id) => ({
      reportId: id,
      summary: byId.get(id) ?? null,
      via: [...linked.get(id)!.via].sort(compareReportIds),
      shared: [...linked.get(id)!.shared].sort(),
    })),
    geoVersion: opts.geo?.dataVersion,
  };
}
