// Trend alerts and series: aggregate figures, read by every role that works reports. The reports
// behind an alert are listed by id, only those the caller may see; an alert on a subject or a file
// is shown only to those who see one of its reports. Opening a report goes through its own checks.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { WORKERS } from '../../cases/roles.ts';
import { visibleToOf } from '../../cases/access.ts';
import { viewerOf } from '../../cases/work.ts';
import { sessionOf } from '../auth.ts';
import { seriesOf, trendAlerts } from '../../trends/run.ts';
import { DIMENSIONS } from '../../trends/series.ts';
import { withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';

const Day = Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' });
const Dimension = Type.Union(DIMENSIONS.map((d) => Type.Literal(d)));

const Alert = Type.Object({
  id: Type.String(),
  dimension: Type.String(),
  key: Type.String(),
  period: Type.Union([Type.Literal('day'), Type.Literal('week')]),
  start: Type.String(),
  fired: Type.String(),
  end: Type.String(),
  observed: Type.Integer(),
  expected: Type.Number(),
  ratio: Type.Number(),
  score: Type.Number(),
  p: Type.Number(),
  reports: Type.Object({ total: Type.Integer(), sample: Type.Array(Type.String()) }),
  queue: Type.Object({ trend: Type.String(), from: Type.String(), to: Type.String() }),
});

/** Registers the trends routes. */
export function trendRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.route({
    method: 'GET',
    url: '/api/trends/alerts',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: 'Series that departed from their own baseline (bantay trends), newest and strongest first, with the reports behind each',
      tags: ['trends'],
      querystring: Type.Object({
        period: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week')])),
        dimension: Type.Optional(Dimension),
        since: Type.Optional(Day),
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
      }),
      response: withErrors(Type.Array(Alert)),
    },
    handler: async (req) =>
      trendAlerts(ctx.store, {
        ...visibleToOf(await viewerOf(ctx.store, sessionOf(req).user)),
        limit: req.query.limit,
        ...(req.query.period ? { period: req.query.period } : {}),
        ...(req.query.dimension ? { dim: req.query.dimension } : {}),
        ...(req.query.since ? { since: req.query.since } : {}),
      }),
  });

  app.route({
    method: 'GET',
    url: '/api/trends/series',
    config: { roles: WORKERS, object: 'aggregate' },
    schema: {
      summary: 'Daily counts of one series up to a day (for a chart)',
      tags: ['trends'],
      querystring: Type.Object({
        dimension: Dimension,
        key: Type.String({ minLength: 1, maxLength: 300 }),
        asOf: Day,
        days: Type.Integer({ minimum: 7, maximum: 400, default: 90 }),
      }),
      response: withErrors(Type.Array(Type.Object({ day: Type.String(), n: Type.Integer() }))),
    },
    handler: async (req) => seriesOf(ctx.store, req.query.dimension, req.query.key, req.query.asOf, req.query.days),
  });
}
