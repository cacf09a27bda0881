// Maps at the level people act on: the imported boundary layers, queue totals per province or
// city/municipality under the queue's own filters (so a count opens a queue of that size), and the
// agency's base layers (PMTiles files served with HTTP Range, or its own tile server).
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { WORKERS } from '../../cases/roles.ts';
import { viewerOf } from '../../cases/work.ts';
import { MAX_POINTS, queuePointsOf, queueTotalsBy } from '../../cases/queue.ts';
import { geoLayerCollection, listGeoLayers } from '../../geo/run.ts';
import { baseLayers, readMbtilesTile, readTileFile, type TileSet } from '../../geo/tiles.ts';
import { sessionOf } from '../auth.ts';
import { withErrors } from '../schemas.ts';
import { QueueQuerySchema } from './queue.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../../model/error.ts';

const Layer = Type.Object({
  name: Type.String(),
  level: Type.String(),
  source: Type.String(),
  keyProperty: Type.String(),
  features: Type.Integer(),
  rejected: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String() })),
  contentHash: Type.String(),
  importedAt: Type.String(),
});
const { limit: _limit, offset: _offset, sort: _sort, ...filters } = QueueQuerySchema.properties;

/** Registers the geo routes. */
export function geoRoutes(root: FastifyInstance, ctx: ApiContext, tiles: TileSet): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();

  app.route({
    method: 'GET',
    url: '/api/geo/layers',
    config: { roles: WORKERS, object: 'none' },
    schema: { summary: 'Boundary layers imported with bantay geo import', tags: ['geo'], response: withErrors(Type.Array(Layer)) },
    handler: async () => listGeoLayers(ctx.store),
  });

  app.route({
    method: 'GET',
    url: '/api/geo/layers/:name',
    config: { roles: WORKERS, object: 'none' },
    schema: {
      summary: 'One boundary layer as GeoJSON (feature id = PSGC code)',
      tags: ['geo'],
      params: Type.Object({ name: Type.String({ pattern: '^[A-Za-z0-9._-]{1,60}$' }) }),
      response: withErrors(
        Type.Object({
          type: Type.Literal('FeatureCollection'),
          features: Type.Array(
            Type.Object({
              type: Type.Literal('Feature'),
              id: Type.String(),
              properties: Type.Object({ code: Type.String(), name: Type.String(), centre: Type.Array(Type.Number()) }),
              geometry: Type.Unknown(),
            }),
          ),
        }),
      ),
    },
    handler: async (req) => {
      const fc = await geoLayerCollection(ctx.store, req.params.name);
      if (!fc) throw notFound('NOT_FOUND', `no boundary layer ${req.params.name}`);
      return fc;
    },
  });

  app.route({
    method: 'GET',
    url: '/api/geo/totals',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: 'Queue totals per province or city/municipality (PSGC) under the queue filters given: each count is the total of the queue it opens',
      tags: ['geo'],
      querystring: Type.Object({ by: Type.Union([Type.Literal('province'), Type.Literal('municipality')], { default: 'province' }), ...filters }),
      response: withErrors(Type.Array(Type.Object({ code: Type.String(), count: Type.Integer(), urgent: Type.Integer() }))),
    },
    handler: async (req) => {
      const { by, ...q } = req.query;
      return queueTotalsBy(ctx.store, { ...q, limit: 1, offset: 0 }, await viewerOf(ctx.store, sessionOf(req).user), by);
    },
  });

  app.route({
    method: 'GET',
    url: '/api/geo/points',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary:
        "The reports' own points (the ESP's coordinates, a named place at its town, an IP city) under the queue filters given, with source and precision; at most 5,000, in queue order",
      tags: ['geo'],
      querystring: Type.Object({
        layer: Type.Optional(
          Type.String({
            pattern: '^[A-Za-z0-9._-]{1,60}$',
            description: 'the boundary layer whose town centres place town-level points (default: the first city and municipality layer)',
          }),
        ),
        limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_POINTS, default: MAX_POINTS })),
        ...filters,
      }),
      response: withErrors(
        Type.Object({
          layer: Type.Union([Type.String(), Type.Null()]),
          total: Type.Integer(),
          unplaced: Type.Integer(),
          cap: Type.Integer(),
          points: Type.Array(
            Type.Object({
              reportId: Type.String(),
              lat: Type.Number(),
              lon: Type.Number(),
              source: Type.String(),
              precision: Type.String(),
              role: Type.Union([Type.String(), Type.Null()]),
              code: Type.Union([Type.String(), Type.Null()]),
            }),
          ),
        }),
      ),
    },
    handler: async (req) => {
      const { layer, limit, ...q } = req.query;
      return queuePointsOf(ctx.store, { ...q, limit: 1, offset: 0 }, await viewerOf(ctx.store, sessionOf(req).user), { layer, limit });
    },
  });

  app.route({
    method: 'GET',
    url: '/api/tiles',
    config: { roles: WORKERS, object: 'none' },
    schema: {
      summary: 'Base layers the agency provides (PMTiles and MBTiles files on the server, its own tile server); none from the internet',
      tags: ['geo'],
      response: withErrors(
        Type.Array(
          Type.Object({
            id: Type.String(),
            name: Type.String(),
            kind: Type.Union([Type.Literal('pmtiles'), Type.Literal('mbtiles'), Type.Literal('xyz')]),
            url: Type.String(),
            attribution: Type.String(),
            maxZoom: Type.Optional(Type.Integer()),
          }),
        ),
      ),
    },
    handler: async () => baseLayers(tiles),
  });

  app.route({
    method: 'GET',
    url: '/api/tiles/:file',
    config: { roles: WORKERS, object: 'none' },
    schema: { summary: 'A PMTiles file, read with HTTP Range', tags: ['geo'], params: Type.Object({ file: Type.String({ maxLength: 130 }) }) },
    handler: async (req, reply) => {
      const r = await readTileFile(tiles, req.params.file, req.headers.range);
      reply.header('accept-ranges', 'bytes').header('cache-control', 'private, max-age=3600');
      if (r.status === 404) throw notFound('NOT_FOUND', `no tile file ${req.params.file}`);
      if (r.status === 416) {
        reply.code(416).header('content-range', `bytes */${r.size}`);
        return reply.send();
      }
      reply
        .code(r.status)
        .header('content-type', 'application/vnd.pmtiles')
        .header('content-length', String(r.end - r.start + 1));
      if (r.status === 206) reply.header('content-range', `bytes ${r.start}-${r.end}/${r.size}`);
      return reply.send(r.stream);
    },
  });

  app.route({
    method: 'GET',
    url: '/api/tiles/:name/:z/:x/:y',
    config: { roles: WORKERS, object: 'none' },
    schema: {
      summary: 'One tile of an MBTiles base layer (z/x/y as web maps count rows, from the north)',
      tags: ['geo'],
      params: Type.Object({
        name: Type.String({ pattern: '^[A-Za-z0-9._-]{1,120}$' }),
        z: Type.Integer({ minimum: 0, maximum: 30 }),
        x: Type.Integer({ minimum: 0 }),
        y: Type.Integer({ minimum: 0 }),
      }),
    },
    handler: async (req, reply) => {
      const { name, z, x, y } = req.params;
      const t = readMbtilesTile(tiles, name, z, x, y);
      if (!t) throw notFound('NOT_FOUND', `no tile ${z}/${x}/${y} in ${name}`);
      return reply
        .header('content-type', t.contentType)
        .header('cache-control', 'private, max-age=3600')
        .send(Buffer.from(t.bytes.buffer, t.bytes.byteOffset, t.bytes.byteLength));
    },
  });
}
