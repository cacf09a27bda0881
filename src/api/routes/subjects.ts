// Subjects: the reports of one subject, why they are linked, a graph, manual split/merge, deconfliction.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { WORKERS, SUPERVISORS } from '../../cases/roles.ts';
import { addToCase, recordView } from '../../cases/work.ts';
import { deconflictionOf } from '../../store/cases.ts';
import { evidenceRows, identifiersOfReports, listHubs, liveSubjectId, rowsForKeys } from '../../store/link.ts';
import { recordDecision } from '../../link/run.ts';
import { compareReportIds } from '../../link/subjects.ts';
import { appendAudit } from '../../cases/audit.ts';
import { ApiError } from '../errors.ts';
import { sessionOf } from '../auth.ts';
import { IdParam, Ok, Open, withErrors } from '../schemas.ts';
import { workView } from './queue.ts';
import type { ApiContext } from '../context.ts';
import { Accepted } from './jobs.ts';

const Node = Type.Object({ id: Type.String(), type: Type.String(), label: Type.String(), hub: Type.Boolean() });
const Edge = Type.Object({ source: Type.String(), target: Type.String(), kind: Type.String(), strength: Type.String() });
const Graph = Type.Object({ nodes: Type.Array(Node), edges: Type.Array(Edge) });

const LINKABLE = ['strong', 'medium'];
const MAX_EXPAND = 200;

/** The reports of a subject, in report order. */
async function subjectReports(ctx: ApiContext, id: string): Promise<string[]> {
  const rows = await ctx.store.db.selectFrom('link_subjects').select('report_id').where('subject_id', '=', id).execute();
  return rows.map((r) => r.report_id).sort(compareReportIds);
}

/** Nodes and edges: reports and the linkable identifiers they hold. */
async function graphOf(ctx: ApiContext, reportIds: string[]): Promise<{ nodes: { id: string; type: string; label: string; hub: boolean }[]; edges: { source: string; target: string; kind: string; strength: string }[] }> {
  const ids = (await identifiersOfReports(ctx.store.db, reportIds)).filter((i) => LINKABLE.includes(i.strength));
  const hubs = new Set((await listHubs(ctx.store.db)).map((h) => h.key));
  const nodes = new Map<string, { id: string; type: string; label: string; hub: boolean }>();
  for (const r of reportIds) nodes.set(`report:${r}`, { id: `report:${r}`, type: 'report', label: r, hub: false });
  const edges: { source: string; target: string; kind: string; strength: string }[] = [];
  for (const i of ids) {
    if (!nodes.has(i.key)) nodes.set(i.key, { id: i.key, type: i.kind, label: i.value, hub: hubs.has(i.key) });
    edges.push({ source: `report:${i.reportId}`, target: i.key, kind: i.kind, strength: i.strength });
  }
  return { nodes: [...nodes.values()], edges };
}

/** Registers the subject routes. */
export function subjectRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.route({
    method: 'GET',
    url: '/api/subjects',
    config: { roles: WORKERS },
    schema: {
      summary: 'Subjects, largest first',
      tags: ['subjects'],
      querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }), minReports: Type.Integer({ minimum: 2, default: 2 }) }),
      response: withErrors(Type.Object({ total: Type.Integer(), items: Type.Array(Type.Object({ id: Type.String(), reportCount: Type.Integer() })) })),
    },
    handler: async (req) => {
      const { limit, offset, minReports } = req.query;
      const base = ctx.store.db.selectFrom('link_subjects').select(['subject_id', sql<number>`count(*)::int`.as('n')]).groupBy('subject_id').having(sql`count(*)`, '>=', minReports);
      const total = await ctx.store.db.selectFrom(base.as('s')).select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
      const rows = await base.orderBy('n', 'desc').orderBy('subject_id').limit(limit).offset(offset).execute();
      return { total: total.n, items: rows.map((r) => ({ id: r.subject_id, reportCount: r.n })) };
    },
  });

  app.route({
    method: 'GET',
    url: '/api/subjects/:id',
    config: { roles: WORKERS },
    schema: {
      summary: 'One subject: its reports, identifiers, why they are linked, a graph (audited view)',
      tags: ['subjects'],
      params: IdParam,
      response: withErrors(Type.Object({
        id: Type.String(),
        reports: Type.Array(Open({ reportId: Type.String() })),
        identifiers: Type.Array(Type.Object({ kind: Type.String(), value: Type.String(), reportCount: Type.Integer() })),
        links: Type.Array(Type.Object({ a: Type.String(), b: Type.String(), reasons: Type.Array(Type.Object({ kind: Type.String(), value: Type.String(), strength: Type.String() })) })),
        graph: Graph,
        work: Open({ status: Type.String() }),
      })),
    },
    handler: async (req) => {
      // A name the subject no longer carries (subjects merged) answers with the subject it went to.
      const id = await liveSubjectId(ctx.store.db, req.params.id);
      const reportIds = await subjectReports(ctx, id);
      if (reportIds.length === 0) throw new ApiError(404, 'NOT_FOUND', `no subject ${id}`);
      await recordView(ctx.store, { user: sessionOf(req).user, ip: req.ip }, 'subject', id);
      const rows = await ctx.store.db
        .selectFrom('reports as r')
        .leftJoin('work_items as w', (j) => j.onRef('w.item_id', '=', 'r.report_id').on('w.kind', '=', 'report'))
        .leftJoin('users as u', 'u.id', 'w.assignee_id')
        .select(['r.report_id', 'r.received_at', 'r.incident_type', 'r.esp', 'w.status', 'u.username'])
        .where('r.report_id', 'in', reportIds)
        .execute();
      const marks = await deconflictionOf(ctx.store.db, reportIds);
      const byId = new Map(rows.map((r) => [r.report_id, r]));
      const reports = reportIds.map((rid) => {
        const r = byId.get(rid);
        return { reportId: rid, receivedAt: r?.received_at ? new Date(r.received_at).toISOString() : null, incidentType: r?.incident_type ?? null, esp: r?.esp ?? null, status: r?.status ?? 'new', assignee: r?.username ?? null, deconfliction: marks.get(rid) ?? null };
      });
      const inSubject = new Set(reportIds);
      const evidence = (await evidenceRows(ctx.store.db, reportIds)).filter((e) => inSubject.has(e.reportA) && inSubject.has(e.reportB));
      const pairs = new Map<string, { a: string; b: string; reasons: { kind: string; value: string; strength: string }[] }>();
      for (const e of evidence) {
        const k = `${e.reportA}\u0000${e.reportB}`;
        (pairs.get(k) ?? pairs.set(k, { a: e.reportA, b: e.reportB, reasons: [] }).get(k)!).reasons.push({ kind: e.kind, value: e.detail, strength: e.strength });
      }
      const graph = await graphOf(ctx, reportIds);
      const counts = new Map<string, { kind: string; value: string; reportCount: number }>();
      for (const e of graph.edges) {
        const n = graph.nodes.find((x) => x.id === e.target);
        const c = counts.get(e.target) ?? { kind: e.kind, value: n?.label ?? e.target, reportCount: 0 };
        c.reportCount++;
        counts.set(e.target, c);
      }
      return { id, reports, identifiers: [...counts.values()].sort((a, b) => b.reportCount - a.reportCount || a.kind.localeCompare(b.kind)), links: [...pairs.values()], graph, work: await workView(ctx, 'subject', id) };
    },
  });

  app.route({
    method: 'GET',
    url: '/api/subjects/:id/graph',
    config: { roles: WORKERS },
    schema: {
      summary: 'One more hop around a node (a report node `report:ID` or an identifier key)',
      tags: ['subjects'],
      params: IdParam,
      querystring: Type.Object({ node: Type.String({ minLength: 1, maxLength: 1000 }), hops: Type.Integer({ minimum: 1, maximum: 1, default: 1 }) }),
      response: withErrors(Graph),
    },
    handler: async (req) => {
      const node = req.query.node;
      if (node.startsWith('report:')) return graphOf(ctx, [node.slice('report:'.length)]);
      const holders = [...new Set((await rowsForKeys(ctx.store.db, [node], LINKABLE)).map((r) => r.reportId))].sort(compareReportIds).slice(0, MAX_EXPAND);
      return graphOf(ctx, holders);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/subjects/:id/split',
    config: { roles: SUPERVISORS },
    schema: {
      summary: 'Detaches a report from its subject (manual decision, audited); reclustering is a job: 202 with its id',
      tags: ['subjects'], params: IdParam, body: Type.Object({ reportId: Type.String({ maxLength: 200 }), comment: Type.Optional(Type.String({ maxLength: 2000 })) }), response: withErrors(Accepted, 202),
    },
    handler: async (req, reply) => {
      const s = sessionOf(req);
      await recordDecision(ctx.store, { action: 'split', a: req.body.reportId }, req.body.comment);
      const jobId = await ctx.jobs.enqueue('process', {}, { requestedBy: s.user.id });
      await appendAudit(ctx.store, { action: 'subject.split', userId: s.user.id, username: s.user.username, ip: req.ip, targetKind: 'subject', targetId: req.params.id, detail: { reportId: req.body.reportId, comment: req.body.comment ?? null, jobId } });
      return reply.code(202).send({ jobId, state: 'queued' });
    },
  });

  app.route({
    method: 'POST',
    url: '/api/subjects/merge',
    config: { roles: SUPERVISORS },
    schema: {
      summary: 'Joins two reports into one subject (manual decision, audited); reclustering is a job: 202 with its id',
      tags: ['subjects'], body: Type.Object({ reportA: Type.String({ maxLength: 200 }), reportB: Type.String({ maxLength: 200 }), comment: Type.Optional(Type.String({ maxLength: 2000 })) }), response: withErrors(Accepted, 202),
    },
    handler: async (req, reply) => {
      const s = sessionOf(req);
      await recordDecision(ctx.store, { action: 'merge', a: req.body.reportA, b: req.body.reportB }, req.body.comment);
      const jobId = await ctx.jobs.enqueue('process', {}, { requestedBy: s.user.id });
      await appendAudit(ctx.store, { action: 'subject.merge', userId: s.user.id, username: s.user.username, ip: req.ip, targetKind: 'report', targetId: req.body.reportA, detail: { reportB: req.body.reportB, comment: req.body.comment ?? null, jobId } });
      return reply.code(202).send({ jobId, state: 'queued' });
    },
  });

  app.route({
    method: 'POST',
    url: '/api/subjects/:id/deconflict',
    config: { roles: SUPERVISORS },
    schema: { summary: 'Marks a subject as in an active case: its reports pause in the queue', tags: ['cases'], params: IdParam, body: Type.Object({ caseId: Type.String({ maxLength: 100 }) }), response: withErrors(Ok) },
    handler: async (req) => {
      await addToCase(ctx.store, { user: sessionOf(req).user, ip: req.ip }, req.body.caseId, [{ kind: 'subject', itemId: req.params.id }]);
      return { ok: true };
    },
  });
}
