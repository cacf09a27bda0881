// MISP warninglists stored in the database (the same as `bantay warninglist import|list|enable|disable`).
import { rmSync } from 'node:fs';
import { basename } from 'node:path';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ADMINS, WORKERS } from '../../cases/roles.ts';
import { appendAudit } from '../../cases/audit.ts';
import { readWarninglistFile } from '../../enrich/warninglist-files.ts';
import { importWarninglistFiles, listWarninglists, setWarninglistEnabled } from '../../store/warninglists.ts';
import { sessionOf } from '../auth.ts';
import { Ok, withErrors } from '../schemas.ts';
import { saveUploads } from './data.ts';
import type { ApiContext } from '../context.ts';
import { notFound } from '../../model/error.ts';

const Warninglist = Type.Object({
  name: Type.String(),
  type: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  version: Type.Union([Type.Number(), Type.Null()]),
  entries: Type.Integer(),
  source: Type.String(),
  enabled: Type.Boolean(),
  importedAt: Type.String(),
});

/** Registers the warninglist routes. */
export function warninglistRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const who = (req: Parameters<typeof sessionOf>[0] & { ip: string }) => ({
    userId: sessionOf(req).user.id,
    username: sessionOf(req).user.username,
    ip: req.ip,
  });

  app.route({
    method: 'GET',
    url: '/api/warninglists',
    config: { roles: WORKERS, object: 'none' },
    schema: {
      summary: 'Imported MISP warninglists (linking and enrichment runs use the enabled ones)',
      tags: ['warninglists'],
      response: withErrors(Type.Array(Warninglist)),
    },
    handler: async () => listWarninglists(ctx.store.db),
  });
  app.route({
    method: 'POST',
    url: '/api/warninglists',
    config: { roles: ADMINS, object: 'none' },
    schema: {
      summary: 'Imports MISP warninglist JSON files (multipart, one or more files); the same file again changes nothing',
      tags: ['warninglists'],
      consumes: ['multipart/form-data'],
      response: withErrors(
        Type.Array(
          Type.Object({
            name: Type.String(),
            entries: Type.Integer(),
            outcome: Type.Union([Type.Literal('added'), Type.Literal('replaced'), Type.Literal('unchanged')]),
          }),
        ),
      ),
    },
    handler: async (req) => {
      const up = await saveUploads(req, ctx.uploadDir);
      try {
        // Uploads are saved as "<n>-<name>"; the list keeps the name the file was sent with.
        const files = up.paths.map((p) => readWarninglistFile(p, `upload:${basename(p).replace(/^\d+-/, '')}`));
        const done = await importWarninglistFiles(ctx.store.db, files);
        for (const d of done)
          await appendAudit(ctx.store, { ...who(req), action: 'warninglist.import', targetKind: 'warninglist', targetId: d.name, detail: d });
        return done;
      } finally {
        rmSync(up.folder, { recursive: true, force: true });
      }
    },
  });
  app.route({
    method: 'POST',
    url: '/api/warninglists/:id/enable',
    config: { roles: ADMINS, object: 'none' },
    schema: {
      summary: 'Enables or disables a warninglist (by name); the next linking or enrichment run (--all to redo every report) applies it',
      tags: ['warninglists'],
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 300 }) }),
      body: Type.Object({ enabled: Type.Boolean() }),
      response: withErrors(Ok),
    },
    handler: async (req) => {
      if (!(await setWarninglistEnabled(ctx.store.db, req.params.id, req.body.enabled))) throw notFound('NOT_FOUND', `no warninglist named ${req.params.id}`);
      await appendAudit(ctx.store, {
        ...who(req),
        action: req.body.enabled ? 'warninglist.enable' : 'warninglist.disable',
        targetKind: 'warninglist',
        targetId: req.params.id,
      });
      return { ok: true };
    },
  });
}
