// Subjects: the reports of one subject, why they are linked, a graph, manual split/merge, deconfliction.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { WORKERS, SUPERVISORS } from '../../cases/roles.ts';
import { addToCase, viewerOf } from '../../cases/work.ts';
import { visibleToOf } from '../../cases/access.ts';
import { expandGraphNode, subjectView } from '../../cases/subject-view.ts';
import { decideSubjects } from '../../cases/decisions.ts';
import { listSubjects } from '../../store/link.ts';
import { sessionOf } from '../auth.ts';
import { grantOf } from '../access.ts';
import { IdParam, Ok, Open, withErrors } from '../schemas.ts';
import { ExternalMarks } from './queue.ts';
import type { ApiContext } from '../context.ts';
import { Accepted } from './jobs.ts';
import { notFound } from '../../model/error.ts';

const Node = Type.Object({ id: Type.String(), type: Type.String(), label: Type.String(), hub: Type.Boolean() });
const Edge = Type.Object({ source: Type.String(), target: Type.String(), kind: Type.String(), strength: Type.String() });
const Graph = Type.Object({
  nodes: Type.Array(Node),
  edges: Type.Array(Edge),
  hiddenReports: Type.Integer({ description: 'reports left out because the caller may not see them' }),
});

/** Registers the subject routes. */
export function subjectRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  const actor = (req: Parameters<typeof sessionOf>[0] & { ip: string }) => ({ user: sessionOf(req).user, ip: req.ip });

  app.route({
    method: 'GET',
    url: '/api/subjects',
    config: { roles: WORKERS, object: 'filtered' },
    schema: {
      summary: 'Subjects, largest first',
      tags: ['subjects'],
      querystring: Type.Object({
        limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
        offset: Type.Integer({ minimum: 0, default: 0 }),
        minReports: Type.Integer({ minimum: 2, default: 2 }),
      }),
      response: withErrors(Type.Object({ total: Type.Integer(), items: Type.Array(Type.Object({ id: Type.String(), reportCount: Type.Integer() })) })),
    },
    handler: async (req) => listSubjects(ctx.store.db, { ...req.query, ...visibleToOf(await viewerOf(ctx.store, sessionOf(req).user)) }),
  });

  app.route({
    method: 'GET',
    url: '/api/subjects/:id',
    config: { roles: WORKERS, object: 'subject' },
    schema: {
      summary: 'One subject: its reports, identifiers, why they are linked, a graph (audited view)',
      tags: ['subjects'],
      params: IdParam,
      response: withErrors(
        Type.Object({
          id: Type.String(),
          reports: Type.Array(Open({ reportId: Type.String() })),
          hiddenReports: Type.Integer({ description: 'reports of the subject the caller may not see (left out of everything here)' }),
          identifiers: Type.Array(Type.Object({ kind: Type.String(), value: Type.String(), reportCount: Type.Integer() })),
          links: Type.Array(
            Type.Object({
              a: Type.String(),
              b: Type.String(),
              rule: Type.Union([Type.String(), Type.Null()], {
                description:
                  'the rule that links the pair (strong identifier, two medium identifiers, weak evidence together); null when it is joined through other reports',
              }),
              reasons: Type.Array(Type.Object({ kind: Type.String(), value: Type.String(), strength: Type.String() })),
            }),
          ),
          graph: Graph,
          externalDeconfliction: ExternalMarks,
          suspect: Type.Union(
            [
              Type.Object({
                tier: Type.String(),
                score: Type.Number(),
                reasons: Type.Array(Type.Object({ rule: Type.String(), effect: Type.String(), evidence: Type.String(), description: Type.String() })),
              }),
              Type.Null(),
            ],
            { description: 'its rank as a suspect, like `bantay suspects`' },
          ),
          work: Open({ status: Type.String() }),
        }),
      ),
    },
    handler: async (req) => {
      // The object rule resolved a retired name to the subject it went to and kept the visible reports.
      const view = await subjectView(ctx.store, actor(req), grantOf(req));
      if (!view) throw notFound('NOT_FOUND', `no subject ${req.params.id}`);
      return view;
    },
  });

  app.route({
    method: 'GET',
    url: '/api/subjects/:id/graph',
    config: { roles: WORKERS, object: 'subject' },
    schema: {
      summary: 'One more hop around a node (a report node `report:ID` or an identifier key); only reports the caller may see (audited)',
      tags: ['subjects'],
      params: IdParam,
      querystring: Type.Object({ node: Type.String({ minLength: 1, maxLength: 1000 }), hops: Type.Integer({ minimum: 1, maximum: 1, default: 1 }) }),
      response: withErrors(Graph),
    },
    handler: async (req) => {
      return await expandGraphNode(ctx.store, actor(req), grantOf(req).subjectId!, req.query.node);
    },
  });

  app.route({
    method: 'POST',
    url: '/api/subjects/:id/split',
    config: { roles: SUPERVISORS, object: 'subject' },
    schema: {
      summary: 'Detaches a report from its subject (manual decision, audited); reclustering is a job: 202 with its id',
      tags: ['subjects'],
      params: IdParam,
      body: Type.Object({ reportId: Type.String({ maxLength: 200 }), comment: Type.Optional(Type.String({ maxLength: 2000 })) }),
      response: withErrors(Accepted, 202),
    },
    handler: async (req, reply) => {
      const jobId = await decideSubjects(ctx.store, ctx.jobs, actor(req), {
        action: 'split',
        subjectId: req.params.id,
        reportId: req.body.reportId,
        comment: req.body.comment,
      });
      return reply.code(202).send({ jobId, state: 'queued' });
    },
  });

  app.route({
    method: 'POST',
    url: '/api/subjects/merge',
    config: { roles: SUPERVISORS, object: 'reports' },
    schema: {
      summary: 'Joins two reports into one subject (manual decision, audited); reclustering is a job: 202 with its id',
      tags: ['subjects'],
      body: Type.Object({
        reportA: Type.String({ maxLength: 200 }),
        reportB: Type.String({ maxLength: 200 }),
        comment: Type.Optional(Type.String({ maxLength: 2000 })),
      }),
      response: withErrors(Accepted, 202),
    },
    handler: async (req, reply) => {
      const jobId = await decideSubjects(ctx.store, ctx.jobs, actor(req), {
        action: 'merge',
        reportA: req.body.reportA,
        reportB: req.body.reportB,
        comment: req.body.comment,
      });
      return reply.code(202).send({ jobId, state: 'queued' });
    },
  });

  app.route({
    method: 'POST',
    url: '/api/subjects/:id/deconflict',
    config: { roles: SUPERVISORS, object: 'subject' },
    schema: {
      summary: 'Marks a subject as in an active case: its reports pause in the queue',
      tags: ['cases'],
      params: IdParam,
      body: Type.Object({ caseId: Type.String({ maxLength: 100 }) }),
      response: withErrors(Ok),
    },
    handler: async (req) => {
      await addToCase(ctx.store, actor(req), req.body.caseId, [{ kind: 'subject', itemId: req.params.id }]);
      return { ok: true };
    },
  });
}
