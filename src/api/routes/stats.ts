// Figures for the dashboards.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { WORKERS, SUPERVISORS } from '../../cases/roles.ts';
import { workload } from '../../store/cases.ts';
import { storeStats } from '../../store/reports.ts';
import { tierCounts, volume, worldCounts } from '../../store/stats.ts';
import { queueMap } from '../../cases/queue.ts';
import { viewerOf } from '../../cases/work.ts';
import { liveTierNames } from '../../triage/rulesets.ts';
import { sessionOf } from '../auth.ts';
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

  const ProvinceStat = Type.Object({ provinceCode: Type.String(), count: Type.Integer(), urgent: Type.Integer() });
  const mapOf = async (req: Parameters<typeof sessionOf>[0]) => queueMap(ctx.store, {}, await viewerOf(ctx.store, sessionOf(req).user));

  app.route({
    method: 'GET', url: '/api/stats/map', config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: 'The open queue per Philippine province (PSGC code): reports, and those in the urgent (top) tier; the counts are those of the queue each province opens; and how many have no province',
      tags: ['stats'],
      response: withErrors(Type.Object({ urgentTier: Type.String(), total: Type.Integer(), withoutProvince: Type.Integer(), provinces: Type.Array(ProvinceStat) })),
    },
    handler: async (req) => {
      const m = await mapOf(req);
      return { ...m, provinces: m.provinces.sort((a, b) => b.count - a.count) };
    },
  });

  app.route({
    method: 'GET', url: '/api/stats/provinces', config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: 'The open queue per Philippine province (PSGC code) with the reports in the urgent (top) tier (the provinces of /api/stats/map)',
      tags: ['stats'],
      querystring: Type.Object({ metric: Type.Union([Type.Literal('count'), Type.Literal('urgent')], { default: 'count' }) }),
      response: withErrors(Type.Array(ProvinceStat)),
    },
    handler: async (req) => {
      const key = req.query.metric === 'urgent' ? 'urgent' : 'count';
      return (await mapOf(req)).provinces.sort((a, b) => b[key] - a[key]);
    },
  });

  app.route({
    method: 'GET', url: '/api/stats/world', config: { roles: WORKERS, object: 'aggregate' },
    schema: { summary: 'Reports per country (from IPs, phones and addresses); alerted payers per country (payment alerts on senders)', tags: ['stats'], response: withErrors(Type.Array(Type.Object({ country: Type.String(), reporters: Type.Integer(), payers: Type.Integer() }))) },
    handler: async () => worldCounts(db),
  });

  app.route({
    method: 'GET', url: '/api/stats/tiers', config: { roles: WORKERS, object: 'aggregate' },
    schema: { summary: 'Reports per tier now (a report an active case holds counts as paused; UNSCORED before triage has run)', tags: ['stats'], response: withErrors(Type.Array(Type.Object({ tier: Type.String(), count: Type.Integer() }))) },
    handler: async () => tierCounts(db, (await liveTierNames(ctx.store)).paused),
  });

  app.route({
    method: 'GET', url: '/api/stats/volume', config: { roles: WORKERS, object: 'aggregate' },
    schema: {
      summary: 'Reports received per interval, split by ESP, incident type or tier (the tier stored now)',
      tags: ['stats'],
      querystring: Type.Object({
        by: Type.Union([Type.Literal('esp'), Type.Literal('incidentType'), Type.Literal('tier')], { default: 'incidentType' }),
        interval: Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')], { default: 'day' }),
      }),
      response: withErrors(Type.Array(Type.Object({ period: Type.String(), key: Type.String(), count: Type.Integer() }))),
    },
    handler: async (req) => volume(db, req.query.by, req.query.interval, (await liveTierNames(ctx.store)).paused),
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
