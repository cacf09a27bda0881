// Errors as JSON with a stable code and a readable message: { error: { code, message, ...details } }.
// One table maps every code of the union (src/model/error.ts) to its HTTP status and a title (what
// the code means, for docs/api.md); the type system refuses a code left out.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BantayError, type BantayErrorCode, type ErrorDetails } from '../model/error.ts';

/** An HTTP status and what the code means. */
export interface CodeEntry {
  status: 400 | 401 | 403 | 404 | 409 | 413 | 422 | 429 | 500 | 503;
  title: string;
}

/** Every error code's HTTP status and meaning. */
export const HTTP_ERRORS: Record<BantayErrorCode, CodeEntry> = {
  VALIDATION: { status: 400, title: 'the request does not match the route schema' },
  BAD_OPTION: { status: 400, title: 'an option or parameter has a value it cannot take' },
  BAD_FILE: { status: 422, title: 'a file is not of the kind expected or is malformed' },
  BAD_TEXT: { status: 400, title: 'a NUL or a lone surrogate in a path, query or body field (the message names the field)' },
  BAD_NAME: { status: 400, title: 'a name has characters or a length it cannot take' },
  BAD_FORMAT: { status: 400, title: 'an unknown format was asked for' },
  BAD_RULESET: { status: 400, title: 'the ruleset is invalid; details.problems lists each problem with its JSON path' },
  BAD_WARNINGLIST: { status: 400, title: 'the file is not a MISP warninglist Bantay can match' },
  BAD_VALUE: { status: 400, title: 'a value is not of its type (a date, a number)' },
  BAD_ENCODING: { status: 422, title: 'a file declares a character encoding Bantay cannot read' },
  TEMPLATE: { status: 422, title: 'the letter template does not compile or render' },
  NO_FILE: { status: 400, title: 'an upload carried no file' },
  UNKNOWN_FILTER_VALUE: { status: 400, title: 'a queue filter names a value that does not exist; details.valid lists those that do' },
  NO_SUCH_CARRIER: { status: 400, title: 'no IP session of the target belongs to the carrier named' },
  NO_RECIPIENT: { status: 400, title: 'a referral needs a recipient agency' },
  BAD_USERNAME: { status: 400, title: 'a username has characters or a length it cannot take' },
  BAD_ROLE: { status: 400, title: 'an unknown role' },
  WEAK_PASSWORD: { status: 400, title: 'the password is too short or too common' },
  BAD_LEGAL_STATUS: { status: 400, title: 'an unknown legal status of a case' },
  BAD_LOG_KIND: { status: 400, title: 'an unknown kind of case-log entry' },
  EMPTY_NOTE: { status: 400, title: 'a note is empty' },
  NOTE_REQUIRED: { status: 400, title: 'this step needs a note' },
  BAD_DIRECTION: { status: 400, title: 'an unknown direction of a case-log entry' },
  BAD_HASH: { status: 400, title: 'a hash is not of the form its algorithm writes' },
  BAD_STEP: { status: 400, title: 'an unknown rescue step' },
  NO_ACCOUNT: { status: 400, title: 'no active account of that name' },
  BAD_ASSIGNEE: { status: 400, title: 'the assignee is not an active analyst' },
  BAD_STATUS: { status: 400, title: 'an unknown status' },
  CLOSE_REASON_REQUIRED: { status: 400, title: 'closing needs a reason' },
  BAD_REASON: { status: 400, title: 'an unknown close reason' },
  BAD_LEAD: { status: 400, title: 'the lead of a case is not an active account' },
  BAD_TITLE: { status: 400, title: 'a case title is empty or too long' },
  BAD_AGENCY: { status: 400, title: 'an agency name is empty or too long' },
  BAD_DAYS: { status: 400, title: 'a number of days out of range' },
  BAD_PUBLIC_KEY: { status: 400, title: 'not an Ed25519 public key' },
  NO_IDENTITY: { status: 400, title: 'the agency name and contact role are not set' },
  NOT_A_SERVER: { status: 400, title: 'this works on a PostgreSQL server only' },
  UNAUTHENTICATED: { status: 401, title: 'no session cookie, or an unknown or ended session' },
  SESSION_EXPIRED: { status: 401, title: 'idle (30 min) or absolute (12 h) limit reached: sign in again' },
  BAD_CREDENTIALS: { status: 401, title: 'wrong username, password or code' },
  TOTP_REQUIRED: { status: 401, title: 'the second factor is needed' },
  FORBIDDEN: { status: 403, title: 'the role may not call this route, or may not do this to the item' },
  CSRF: { status: 403, title: 'a POST/PUT/PATCH/DELETE without the right `x-csrf-token` header' },
  NOT_YOUR_TEAM: {
    status: 403,
    title:
      'the route\'s object rule refuses: the report, subject or case is not visible to the caller (docs/security.md "Authorisation"); audited; `error.deconfliction` when another agency\'s case holds it',
  },
  NOT_YOURS: { status: 403, title: 'the item is assigned to someone else' },
  TOTP_NOT_SET_UP: { status: 403, title: 'the account needs a second factor an administrator sets up' },
  REFUSED: { status: 403, title: 'a peer file is refused (bad signature, unknown peer, expired, another key)' },
  NOT_FOUND: { status: 404, title: 'no such report, subject, case, user, job, template or route (or the caller may not know it exists)' },
  NO_SUCH_USER: { status: 404, title: 'no account of that name' },
  NO_PEER: { status: 404, title: 'no registered peer agency of that name' },
  NO_SUCH_FILE: { status: 404, title: 'a file or folder named does not exist' },
  CONFLICT: { status: 409, title: 'the state of what is named is in the way' },
  USERNAME_TAKEN: { status: 409, title: 'the username is taken' },
  DUPLICATE_ATTACHMENT: { status: 409, title: 'the case already holds an attachment with that hash' },
  STEP_BACKWARDS: { status: 409, title: 'a rescue step cannot go back' },
  ALREADY_ASSIGNED: { status: 409, title: 'the item is already assigned to someone else' },
  CONFIRM_REQUIRED: { status: 409, title: 'closing items of the top tiers needs confirm: true; details.items lists them' },
  NOTHING_TO_UNDO: { status: 409, title: 'no recent action of this person to undo' },
  CASE_CLOSED: { status: 409, title: 'the case is closed' },
  SELF_LOCKOUT: { status: 409, title: 'an administrator cannot disable or demote their own account' },
  NOT_FAILED: { status: 409, title: 'only a failed job can be retried' },
  PEER_EXISTS: { status: 409, title: 'a peer agency of that name is registered' },
  EXISTS: { status: 409, title: 'the file exists; nothing was overwritten' },
  IN_USE: { status: 409, title: 'the data folder is in use by another bantay process' },
  NOT_EMPTY: { status: 409, title: 'the folder is not empty; nothing was overwritten' },
  NOT_EMBEDDED: { status: 409, title: 'this works on the embedded database only (a PostgreSQL server is backed up with pg_dump)' },
  TOO_LARGE: { status: 413, title: 'larger than the upload limit' },
  THROTTLED: { status: 429, title: 'too many failed sign-ins; details.retryAfterSeconds says how long to wait' },
  UNAVAILABLE: { status: 503, title: 'something this needs is not set up' },
  NO_SHARED_KEY: { status: 503, title: 'no shared deconfliction key is installed' },
  NO_SIGNING_KEY: { status: 503, title: 'this agency has no deconfliction signing key' },
  DATABASE_UNAVAILABLE: { status: 503, title: 'the database cannot be opened or prepared; the error is in the server log' },
  INTERNAL: { status: 500, title: 'the server could not complete this request; the error is in the server log' },
  MIGRATION_FAILED: { status: 500, title: 'a database migration failed; the error is in the server log' },
};

/** Sends a BantayError as its status and body. */
export function sendError(reply: FastifyReply, err: BantayError): FastifyReply {
  return send(reply, HTTP_ERRORS[err.code].status, err.code, err.message, err.details);
}

function send(reply: FastifyReply, status: number, code: string, message: string, details: ErrorDetails = {}): FastifyReply {
  return reply
    .code(status)
    .type('application/json; charset=utf-8')
    .send({ error: { code, message, ...details } });
}

/** Installs the error handler: a BantayError by the table, a framework refusal by its own status, anything else 500 without its text. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError | Error, req: FastifyRequest, reply: FastifyReply) => {
    if (err instanceof BantayError && HTTP_ERRORS[err.code].status < 500) return sendError(reply, err);
    const fe = err as FastifyError;
    if (fe.validation) return send(reply, 400, 'VALIDATION', `invalid ${fe.validationContext ?? 'request'}: ${fe.message}`);
    if (!(err instanceof BantayError) && fe.statusCode && fe.statusCode >= 400 && fe.statusCode < 500) {
      return send(reply, fe.statusCode, fe.code ? fe.code.replace(/^FST_/, '') : 'BAD_REQUEST', fe.message);
    }
    req.log.error({ err }, 'request failed');
    // A fault's text may name files, tables or SQL: it stays in the log, and the answer carries the table's title.
    const code: BantayErrorCode = err instanceof BantayError ? err.code : 'INTERNAL';
    return send(reply, HTTP_ERRORS[code].status, code, HTTP_ERRORS[code].title);
  });
}
