// Who a supervisor may assign work to.
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { SUPERVISORS } from '../../cases/roles.ts';
import { assignableUsers } from '../../cases/work.ts';
import { sessionOf } from '../auth.ts';
import { withErrors } from '../schemas.ts';
import type { ApiContext } from '../context.ts';

const Assignee = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: Type.String(),
  team: Type.Union([Type.String(), Type.Null()]),
});

/** Registers GET /api/assignees. */
export function assigneeRoutes(root: FastifyInstance, ctx: ApiContext): void {
  const app = root.withTypeProvider<TypeBoxTypeProvider>();
  app.route({
    method: 'GET',
    url: '/api/assignees',
    config: { roles: SUPERVISORS, object: 'none' },
    schema: {
      summary:
        "Active accounts the caller may assign work to (everyone who works reports, or only the supervisor's team when the queue is closed to other teams)",
      tags: ['work'],
      response: withErrors(Type.Array(Assignee)),
    },
    handler: async (req) =>
      (await assignableUsers(ctx.store, { user: sessionOf(req).user })).map((u) => ({
        id: u.id,
        username: u.username,
        displayName: u.displayName,
        role: u.role,
        team: u.team,
      })),
  });
}
