// Errors as JSON with a stable code and a readable message: { error: { code, message } }.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AccountError } from '../cases/accounts.ts';
import { WorkError } from '../cases/work.ts';
import { QueueFilterError } from '../cases/queue.ts';

/** An error the API answers with its own status and code. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** Sends an error body. */
export function sendError(reply: FastifyReply, status: number, code: string, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error: { code, message, ...extra } });
}

const ACCOUNT_STATUS: Record<string, number> = { USERNAME_TAKEN: 409, NO_SUCH_USER: 404 };

/** Installs the error and not-found handlers. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof ApiError) return sendError(reply, err.status, err.code, err.message, err.extra);
    if (err instanceof WorkError) return sendError(reply, err.status, err.code, err.message, err.extra);
    if (err instanceof QueueFilterError)
      return sendError(reply, 400, 'UNKNOWN_FILTER_VALUE', err.message, { field: err.field, valid: err.valid.slice(0, 200) });
    if (err instanceof AccountError) return sendError(reply, ACCOUNT_STATUS[err.code] ?? 400, err.code, err.message);
    const fe = err as FastifyError;
    if (fe.validation) return sendError(reply, 400, 'VALIDATION', `invalid ${fe.validationContext ?? 'request'}: ${fe.message}`);
    if (fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return sendError(reply, fe.statusCode, fe.code ? fe.code.replace(/^FST_/, '') : 'BAD_REQUEST', fe.message);
    }
    req.log.error({ err }, 'request failed');
    return sendError(reply, 500, 'INTERNAL', 'the server could not complete this request; the error is in the server log');
  });
}
