// What an analyst sees of a subject: its reports, shared identifiers, why they are linked and a
// graph, built only from the reports the caller may see (src/cases/access.ts), and one more hop
// around a graph node. Every read is written to the audit trail.
import type { Store } from '../store/database.ts';
import { deconflictionOf } from '../store/cases.ts';
import { evidenceRows, identifiersOfReports, listHubs, rowsForKeys, subjectReportRows } from '../store/link.ts';
import { tiersOfReports } from '../store/triage.ts';
import { compareReportIds } from '../link/subjects.ts';
import { linkRule, pairEvidence, type LinkRule } from '../link/rules.ts';
import { rankSuspects } from '../triage/suspects.ts';
import { authorise, visibleReports, type Granted } from './access.ts';
import { recordView, viewerOf, type WorkActor } from './work.ts';
import { appendAudit } from './audit.ts';
import { workView } from './report-view.ts';
import { subjectMarks } from '../deconflict/run.ts';
import { forbidden } from '../model/error.ts';

/** A node of the link graph: a report (`report:ID`) or an identifier (its key). */
export interface GraphNode {
  id: string;
  type: string;
  label: string;
  hub: boolean;
}
/** An edge from a report to an identifier it holds. */
export interface GraphEdge {
  source: string;
  target: string;
  kind: string;
  strength: string;
}
/** A graph, with the number of reports left out because the caller may not see them. */
export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
  hiddenReports: number;
}

const LINKABLE = ['strong', 'medium'];
const MAX_EXPAND = 200;

/** Nodes and edges: reports and the linkable identifiers they hold. */
async function graphOf(store: Pick<Store, 'db'>, reportIds: string[], hiddenReports: number): Promise<Graph> {
  const ids = (await identifiersOfReports(store.db, reportIds)).filter((i) => LINKABLE.includes(i.strength));
  const hubs = new Set((await listHubs(store.db)).map((h) => h.key));
  const nodes = new Map<string, GraphNode>();
  for (const r of reportIds) nodes.set(`report:${r}`, { id: `report:${r}`, type: 'report', label: r, hub: false });
  const edges: GraphEdge[] = [];
  for (const i of ids) {
    if (!nodes.has(i.key)) nodes.set(i.key, { id: i.key, type: i.kind, label: i.value, hub: hubs.has(i.key) });
    edges.push({ source: `report:${i.reportId}`, target: i.key, kind: i.kind, strength: i.strength });
  }
  return { nodes: [...nodes.values()], edges, hiddenReports };
}

/** The view of a subject the caller was granted (undefined when it holds no report: 404). Audited as a view. */
export async function subjectView(store: Pick<Store, 'db'>, a: WorkActor, grant: Granted) {
  const id = grant.subjectId!;
  const reportIds = grant.visible ?? [];
  if (reportIds.length === 0 && grant.hidden === 0) return undefined;
  await recordView(store, a, 'subject', id);
  const [rows, marks, allEvidence, graph, tiers] = await Promise.all([
    subjectReportRows(store.db, reportIds),
    deconflictionOf(store.db, reportIds),
    evidenceRows(store.db, reportIds),
    graphOf(store, reportIds, grant.hidden),
    tiersOfReports(store.db, reportIds),
  ]);
  const reports = reportIds.map((rid) => {
    const r = rows.get(rid);
    const t = tiers.get(rid);
    return {
      reportId: rid,
      tier: t?.tier ?? null,
      score: t?.score ?? null,
      receivedAt: r?.receivedAt ?? null,
      incidentType: r?.incidentType ?? null,
      esp: r?.esp ?? null,
      status: r?.status ?? 'new',
      assignee: r?.assignee ?? null,
      deconfliction: marks.get(rid) ?? null,
    };
  });
  const inSubject = new Set(reportIds);
  const pairs = new Map<
    string,
    { a: string; b: string; rule: LinkRule | null; reasons: { kind: string; value: string; strength: string }[]; rows: typeof allEvidence }
  >();
  for (const e of allEvidence) {
    if (!inSubject.has(e.reportA) || !inSubject.has(e.reportB)) continue;
    const k = `${e.reportA}\u0000${e.reportB}`;
    const p = pairs.get(k) ?? pairs.set(k, { a: e.reportA, b: e.reportB, rule: null, reasons: [], rows: [] }).get(k)!;
    p.reasons.push({ kind: e.kind, value: e.detail, strength: e.strength });
    p.rows.push(e);
  }
  // The rule that holds each pair (null: the pair shares evidence but is joined through others or by an analyst).
  const links = [...pairs.values()].map(({ rows, ...p }) => ({ ...p, rule: linkRule(rows.map(pairEvidence)) ?? null }));
  const labels = new Map(graph.nodes.map((n) => [n.id, n.label]));
  const counts = new Map<string, { kind: string; value: string; reportCount: number }>();
  for (const e of graph.edges) {
    const c = counts.get(e.target) ?? { kind: e.kind, value: labels.get(e.target) ?? e.target, reportCount: 0 };
    c.reportCount++;
    counts.set(e.target, c);
  }
  const identifiers = [...counts.values()].sort((x, y) => y.reportCount - x.reportCount || x.kind.localeCompare(y.kind));
  // Its rank as a suspect (`bantay suspects`), computed over this subject only.
  const ranked = (await rankSuspects(store, { subjectIds: [id] }))[0];
  const suspect = ranked ? { tier: ranked.tier, score: ranked.score, reasons: ranked.reasons } : null;
  // Read after the view is recorded, as before: other agencies' marks over the visible reports, and the subject's work.
  const [externalDeconfliction, work] = await Promise.all([subjectMarks(store, reportIds), workView(store, 'subject', id)]);
  return { id, reports, hiddenReports: grant.hidden, identifiers, links, graph, suspect, externalDeconfliction, work };
}

/**
 * One more hop around a node of a subject's graph: a report node gives its identifiers (the
 * report must be visible to the caller), an identifier gives the visible reports holding it (at
 * most 200) and how many others do. Audited as `view.graph`.
 */
export async function expandGraphNode(store: Pick<Store, 'db'>, a: WorkActor, subjectId: string, node: string): Promise<Graph> {
  const viewer = await viewerOf(store, a.user);
  let graph: Graph;
  if (node.startsWith('report:')) {
    const reportId = node.slice('report:'.length);
    const d = await authorise(store, viewer, { kind: 'report', id: reportId });
    if (!d.ok) {
      await appendAudit(store, {
        action: 'access.denied',
        userId: a.user.id,
        username: a.user.username,
        ip: a.ip,
        targetKind: 'report',
        targetId: reportId,
        detail: { via: 'graph', subjectId },
      });
      throw forbidden('NOT_YOUR_TEAM', d.reason);
    }
    graph = await graphOf(store, [reportId], 0);
  } else {
    const holders = [...new Set((await rowsForKeys(store.db, [node], LINKABLE)).map((r) => r.reportId))].sort(compareReportIds);
    const seen = await visibleReports(store, viewer, holders);
    const visible = holders.filter((r) => seen.has(r));
    graph = await graphOf(store, visible.slice(0, MAX_EXPAND), holders.length - visible.length);
  }
  await appendAudit(store, {
    action: 'view.graph',
    userId: a.user.id,
    username: a.user.username,
    ip: a.ip,
    targetKind: 'subject',
    targetId: subjectId,
    detail: { node, reports: graph.nodes.filter((n) => n.type === 'report').length, hiddenReports: graph.hiddenReports },
  });
  return graph;
}
