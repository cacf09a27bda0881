// A report's versions with what changed from one to the next.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { WORKERS } from '../../cases/roles.ts';
import { appendAudit } from '../../cases/audit.ts';
import { getReport } from '../../store/reports.ts';
import { versionChanges } from '../../model/version-diff.ts';
import { sessionOf } from '../auth.ts';
import { IdParam, withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../../model/error.ts';

const Change = Type.Object({
  kind: Type.Union([Type.Literal('added'), Type.Literal('removed'), Type.Literal('changed')]),
  path: Type.String({ description: 'readable path: keys joined by " › ", array items numbered from 1' }),
  pointer: Type.String({ description: 'RFC 6901 JSON pointer' }),
  before: Type.Optional(Type.Unknown()),
  after: Type.Optional(Type.Unknown()),
});

const Version = Type.Object({
  version: Type.Integer(),
  contentHash: Type.String(),
  receivedAt: Type.Union([Type.String(), Type.Null()]),
  ingestedAt: Type.String(),
  source: Type.String(),
  changes: Type.Union([Type.Object({ added: Type.Array(Change), removed: Type.Array(Change), changed: Type.Array(Change) }), Type.Null()], {
    description: 'null for the first version',
  }),
});

/** Registers GET /api/reports/:id/versions. */
export function versionRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.route({
    method: 'GET',
    url: '/api/reports/:id/versions',
    config: { roles: WORKERS, object: 'report' },
    schema: {
      summary: "A report's versions, oldest first, each with the fields added, removed and changed since the one before (audited view)",
      tags: ['reports'],
      params: IdParam,
      response: withErrors(Type.Object({ reportId: Type.String(), versions: Type.Array(Version) })),
    },
    handler: async (req) => {
      const id = req.params.id;
      const user = sessionOf(req).user;
      const r = await getReport(ctx.store.db, id);
      if (!r) throw notFound('NOT_FOUND', `no report ${id}`);
      await appendAudit(ctx.store, { userId: user.id, username: user.username, ip: req.ip, action: 'view.versions', targetKind: 'report', targetId: id });
      return {
        reportId: id,
        versions: r.versions.map((v, i) => ({
          version: v.version,
          contentHash: v.contentHash,
          receivedAt: v.receivedAt,
          ingestedAt: v.ingestedAt,
          source: v.source,
          changes: i === 0 ? null : versionChanges(r.versions[i - 1]!.report, v.report),
        })),
      };
    },
  });
}
