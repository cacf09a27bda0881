// Report exports (IP table, media table, initial report) and referral packages, from the exports
// stage; every export is written to the audit trail.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { WORKERS } from '../../cases/roles.ts';
import { appendAudit } from '../../cases/audit.ts';
import {
  contentDisposition,
  exportInitialReport,
  exportIpTable,
  exportMediaTable,
  exportSources,
  type ExportFile,
  type ExportTarget,
} from '../../export/index.ts';
import { sessionOf } from '../auth.ts';
import { IdParam, withErrors } from '../schemas.ts';
import { sendPackage } from './casework.ts';
import type { ApiContext } from '../context.ts';

const FILES = ['iptable.csv', 'iptable.xlsx', 'media.csv', 'media.xlsx', 'report.docx', 'report.pdf'] as const;
type FileName = (typeof FILES)[number];

function send(reply: FastifyReply, f: ExportFile): FastifyReply {
  return reply.type(f.contentType).header('content-disposition', contentDisposition(f.filename)).send(Buffer.from(f.bytes));
}

async function make(ctx: ApiContext, target: ExportTarget, file: FileName): Promise<ExportFile> {
  // The CLI's sources: offline IP data (carrier, ASN, location, DB-IP credit) and the warninglists.
  const opts = { ...(await exportSources(ctx.store)), now: ctx.now() };
  if (file === 'iptable.csv' || file === 'iptable.xlsx') return await exportIpTable(ctx.store, target, file === 'iptable.csv' ? 'csv' : 'xlsx', opts);
  if (file === 'media.csv' || file === 'media.xlsx') return await exportMediaTable(ctx.store, target, file === 'media.csv' ? 'csv' : 'xlsx', opts);
  return await exportInitialReport(ctx.store, target, file === 'report.docx' ? 'docx' : 'pdf', opts);
}

/** Registers the export routes. */
export function exportRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const who = (req: Parameters<typeof sessionOf>[0] & { ip: string }) => ({
    userId: sessionOf(req).user.id,
    username: sessionOf(req).user.username,
    ip: req.ip,
  });
  const File = Type.Union(FILES.map((f) => Type.Literal(f)));

  for (const kind of ['report', 'subject'] as const) {
    app.route({
      method: 'GET',
      url: `/api/${kind}s/:id/export/:file`,
      config: { roles: WORKERS, object: kind === 'report' ? 'report' : 'subject-all' },
      schema: { summary: `Exports a ${kind}: ${FILES.join(', ')} (audited)`, tags: ['exports'], params: Type.Object({ ...IdParam.properties, file: File }) },
      handler: async (req, reply) => {
        const { id, file } = req.params;
        const f = await make(ctx, { kind, id }, file);
        await appendAudit(ctx.store, {
          ...who(req),
          action: 'export',
          targetKind: kind,
          targetId: id,
          detail: { file, filename: f.filename, bytes: f.bytes.length },
        });
        return send(reply, f);
      },
    });
  }

  app.route({
    method: 'POST',
    url: '/api/cases/:id/package',
    config: { roles: WORKERS, object: 'case-all' },
    schema: {
      summary: 'Builds the referral package of a case for a partner agency (ZIP with manifest; audited)',
      tags: ['exports'],
      params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }),
      body: Type.Object({ recipient: Type.String({ minLength: 1, maxLength: 200 }) }),
      response: withErrors(Type.Unknown()),
    },
    handler: async (req, reply) => sendPackage(ctx, req, reply, { kind: 'case', id: req.params.id }, req.body.recipient),
  });
}
