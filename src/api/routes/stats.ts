// Figures for the dashboards.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { WORKERS, SUPERVISORS } from '../../cases/roles.ts';
import { workload } from '../../store/cases.ts';
import { storeStats } from '../../store/reports.ts';
import { Anything, withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';

/** Registers the statistics routes. */
export function statsRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.store.db;

  app.route({
    method: 'GET', url: '/api/stats', config: { roles: WORKERS, object: 'aggregate' },
    schema: { summary: 'What the database holds', tags: ['stats'], response: withErrors(Anything) },
    handler: async () => storeStats(db),
  });

  app.route({
    method: 'GET', url: '/api/stats/provinces', config: { roles: WORKERS, object: 'aggregate' },
    schema: {
      summary: 'Reports per Philippine province (PSGC code), with the urgent ones (escalated by NCMEC until triage tiers exist)',
      tags: ['stats'],
      querystring: Type.Object({ metric: Type.Union([Type.Literal('count'), Type.Literal('urgent')], { default: 'count' }) }),
      response: withErrors(Type.Array(Type.Object({ provinceCode: Type.String(), count: Type.Integer(), urgent: Type.Integer() }))),
    },
    handler: async (req) => {
      const rows = await db
        .selectFrom('report_enrichment as e')
        .innerJoin('reports as r', 'r.report_id', 'e.report_id')
        .select(['e.province_code', sql<number>`count(*)::int`.as('count'), sql<number>`count(*) filter (where r.escalation is not null)::int`.as('urgent')])
        .where('e.province_code', 'is not', null)
        .groupBy('e.province_code')
        .execute();
      const key = req.query.metric === 'urgent' ? 'urgent' : 'count';
      return rows.map((r) => ({ provinceCode: r.province_code!, count: r.count, urgent: r.urgent })).sort((a, b) => b[key] - a[key]);
    },
  });

  app.route({
    method: 'GET', url: '/api/stats/world', config: { roles: WORKERS, object: 'aggregate' },
    schema: { summary: 'Reports per country (from IPs, phones and addresses); payers per country', tags: ['stats'], response: withErrors(Type.Array(Type.Object({ country: Type.String(), reporters: Type.Integer(), payers: Type.Integer() }))) },
    handler: async () => {
      const rows = await sql<{ country: string; n: number }>`select c as country, count(*)::int as n from report_enrichment, unnest(countries) as c group by c order by n desc`.execute(db);
      return rows.rows.map((r) => ({ country: r.country, reporters: r.n, payers: 0 }));
    },
  });

  app.route({
    method: 'GET', url: '/api/stats/volume', config: { roles: WORKERS, object: 'aggregate' },
    schema: {
      summary: 'Reports received per interval, split by ESP, incident type or tier',
      tags: ['stats'],
      querystring: Type.Object({
        by: Type.Union([Type.Literal('esp'), Type.Literal('incidentType'), Type.Literal('tier')], { default: 'incidentType' }),
        interval: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], { default: 'day' }),
      }),
      response: withErrors(Type.Array(Type.Object({ period: Type.String(), key: Type.String(), count: Type.Integer() }))),
    },
    handler: async (req) => {
      // Column and interval come from closed lists, never from the caller's text.
      const column = req.query.by === 'esp' ? sql`coalesce(esp, 'unknown')` : req.query.by === 'tier' ? sql`'untriaged'` : sql`incident_type`;
      const unit = { day: 'day', week: 'week', month: 'month' }[req.query.interval];
      const rows = await sql<{ period: Date; key: string; n: number }>`
        select date_trunc(${unit}, received_at) as period, ${column} as key, count(*)::int as n
        from reports where received_at is not null group by 1, 2 order by 1, 2`.execute(db);
      return rows.rows.map((r) => ({ period: new Date(r.period).toISOString(), key: r.key, count: r.n }));
    },
  });

  app.route({
    method: 'GET', url: '/api/stats/timing', config: { roles: SUPERVISORS, object: 'aggregate' },
    schema: { summary: 'Hours from receipt to first look and to decision (median, 90th percentile)', tags: ['stats'], response: withErrors(Type.Object({ firstLook: Type.Object({ n: Type.Integer(), medianHours: Type.Union([Type.Number(), Type.Null()]), p90Hours: Type.Union([Type.Number(), Type.Null()]) }), decision: Type.Object({ n: Type.Integer(), medianHours: Type.Union([Type.Number(), Type.Null()]), p90Hours: Type.Union([Type.Number(), Type.Null()]) }) })) },
    handler: async () => {
      const q = async (col: 'first_viewed_at' | 'decided_at') => {
        const r = await sql<{ n: number; med: number | null; p90: number | null }>`
          select count(*)::int as n,
            percentile_cont(0.5) within group (order by extract(epoch from (w.${sql.ref(col)} - r.received_at)) / 3600) as med,
            percentile_cont(0.9) within group (order by extract(epoch from (w.${sql.ref(col)} - r.received_at)) / 3600) as p90
          from work_items w join reports r on r.report_id = w.item_id
          where w.kind = 'report' and w.${sql.ref(col)} is not null and r.received_at is not null`.execute(db);
        const row = r.rows[0]!;
        return { n: row.n, medianHours: row.med === null ? null : Number(row.med), p90Hours: row.p90 === null ? null : Number(row.p90) };
      };
      return { firstLook: await q('first_viewed_at'), decision: await q('decided_at') };
    },
  });

  app.route({
    method: 'GET', url: '/api/stats/workload', config: { roles: SUPERVISORS, object: 'aggregate' },
    schema: { summary: 'Open and closed items per analyst', tags: ['stats'], response: withErrors(Type.Array(Type.Object({ userId: Type.Integer(), username: Type.String(), team: Type.Union([Type.String(), Type.Null()]), open: Type.Integer(), byStatus: Type.Record(Type.String(), Type.Integer()) }))) },
    handler: async () => workload(db),
  });
}
