// Figures for the dashboards.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { WORKERS, SUPERVISORS } from '../../cases/roles.ts';
import { workload } from '../../store/cases.ts';
import { storeStats } from '../../store/reports.ts';
import { timingOf } from '../../store/statistics.ts';
import { tierCounts, volume, worldCounts } from '../../store/stats.ts';
import { queueMap } from '../../cases/queue.ts';
import { viewerOf } from '../../cases/work.ts';
import { liveTierNames } from '../../triage/rulesets.ts';
import { Anything, withErrors } from '../schemas.ts';
import { exportStatistics, DEFAULT_THRESHOLD, MIN_THRESHOLD } from '../../stats/yearly.ts';
import { sessionOf } from '../auth.ts';
import { contentDisposition } from '../../export/index.ts';
import type { ApiContext } from '../context.ts';

/** Registers the statistics routes. */
export function statsRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const db = ctx.store.db;

  app.route({
    method: 'GET',
    url: '/api/stats',
    config: { roles: WORKERS, object: 'aggregate' },
    schema: { summary: 'What the database holds', tags: ['stats'], response: withErrors(Anything) },
    handler: async () => storeStats(db),
  });

  const ProvinceStat = Type.Object({ provinceCode: Type.String(), count: Type.Integer(), urgent: Type.Integer() });
  const mapOf = async (req: Parameters<typeof sessionOf>[0]) => queueMap(ctx.store, {}, await viewerOf(ctx.store, sessionOf(req).user));

  app.route({
    method: 'GET',
    url: '/api/stats/map',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary:
        'The open queue per Philippine province (PSGC code): reports, and those in the urgent (top) tier; the counts are those of the queue each province opens; and how many have no province',
      tags: ['stats'],
      response: withErrors(
        Type.Object({ urgentTier: Type.String(), total: Type.Integer(), withoutProvince: Type.Integer(), provinces: Type.Array(ProvinceStat) }),
      ),
    },
    handler: async (req) => {
      const m = await mapOf(req);
      return { ...m, provinces: m.provinces.sort((a, b) => b.count - a.count) };
    },
  });

  app.route({
    method: 'GET',
    url: '/api/stats/provinces',
    config: { roles: WORKERS, object: 'filtered' },
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
    method: 'GET',
    url: '/api/stats/world',
    config: { roles: WORKERS, object: 'aggregate' },
    schema: {
      summary: 'Reports per country (from IPs, phones and addresses); alerted payers per country (payment alerts on senders)',
      tags: ['stats'],
      response: withErrors(Type.Array(Type.Object({ country: Type.String(), reporters: Type.Integer(), payers: Type.Integer() }))),
    },
    handler: async () => worldCounts(db),
  });

  app.route({
    method: 'GET',
    url: '/api/stats/tiers',
    config: { roles: WORKERS, object: 'aggregate' },
    schema: {
      summary: 'Reports per tier now (a report an active case holds counts as paused; UNSCORED before triage has run)',
      tags: ['stats'],
      response: withErrors(Type.Array(Type.Object({ tier: Type.String(), count: Type.Integer() }))),
    },
    handler: async () => tierCounts(db, (await liveTierNames(ctx.store)).paused),
  });

  app.route({
    method: 'GET',
    url: '/api/stats/volume',
    config: { roles: WORKERS, object: 'aggregate' },
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
    method: 'GET',
    url: '/api/stats/timing',
    config: { roles: SUPERVISORS, object: 'aggregate' },
    schema: {
      summary: 'Hours from receipt to first look and to decision (median, 90th percentile)',
      tags: ['stats'],
      response: withErrors(
        Type.Object({
          firstLook: Type.Object({
            n: Type.Integer(),
            medianHours: Type.Union([Type.Number(), Type.Null()]),
            p90Hours: Type.Union([Type.Number(), Type.Null()]),
          }),
          decision: Type.Object({
            n: Type.Integer(),
            medianHours: Type.Union([Type.Number(), Type.Null()]),
            p90Hours: Type.Union([Type.Number(), Type.Null()]),
          }),
        }),
      ),
    },
    handler: async () => {
      const t = await timingOf(db);
      const hours = (x: { n: number; median: number | null; p90: number | null }) => ({ n: x.n, medianHours: x.median, p90Hours: x.p90 });
      return { firstLook: hours(t.firstLook), decision: hours(t.decision) };
    },
  });

  for (const format of ['csv', 'json'] as const) {
    app.route({
      method: 'GET',
      url: `/api/stats/yearly.${format}`,
      config: { roles: SUPERVISORS, object: 'aggregate' },
      schema: {
        summary: `The year's figures as ${format.toUpperCase()} (bantay stats export): counts only, small counts suppressed, no identifier (audited)`,
        tags: ['stats'],
        querystring: Type.Object({
          year: Type.Integer({ minimum: 2000, maximum: 2100 }),
          threshold: Type.Integer({ minimum: MIN_THRESHOLD, maximum: 1000, default: DEFAULT_THRESHOLD }),
        }),
      },
      handler: async (req, reply) => {
        const user = sessionOf(req).user;
        const f = await exportStatistics(ctx.store, {
          year: req.query.year,
          threshold: req.query.threshold,
          format,
          now: ctx.now(),
          actor: { userId: user.id, username: user.username, ip: req.ip },
        });
        return reply.type(f.contentType).header('content-disposition', contentDisposition(f.filename)).send(Buffer.from(f.bytes));
      },
    });
  }

  app.route({
    method: 'GET',
    url: '/api/stats/workload',
    config: { roles: SUPERVISORS, object: 'aggregate' },
    schema: {
      summary: 'Open and closed items per analyst',
      tags: ['stats'],
      response: withErrors(
        Type.Array(
          Type.Object({
            userId: Type.Integer(),
            username: Type.String(),
            team: Type.Union([Type.String(), Type.Null()]),
            open: Type.Integer(),
            byStatus: Type.Record(Type.String(), Type.Integer()),
          }),
        ),
      ),
    },
    handler: async () => workload(db),
  });
}
