// The one error type of Bantay: every error thrown in src/ is a BantayError with a code from the
// union below. The code says what went wrong in a word a program can test; the class it belongs
// to decides the HTTP status (src/api/errors.ts, one table) and the command line's exit code
// (src/cli/exit.ts). Codes are stable: the web app and scripts test them, so a code is renamed
// never and added freely. The model of this is ROOST's Coop: one error class, named errors,
// factories.

/** The classes of outcome a caller can act on differently. */
export type ErrorClass = 'badInput' | 'unauthenticated' | 'forbidden' | 'notFound' | 'conflict' | 'tooLarge' | 'tooMany' | 'unavailable' | 'internal';

// Every code and its class. An object rather than lists so that a code belongs to exactly one class.
const CLASS_OF = {
  // Bad input: the request or the command names something malformed or out of range.
  VALIDATION: 'badInput',
  BAD_OPTION: 'badInput',
  BAD_FILE: 'badInput',
  BAD_TEXT: 'badInput',
  BAD_NAME: 'badInput',
  BAD_FORMAT: 'badInput',
  BAD_RULESET: 'badInput',
  BAD_WARNINGLIST: 'badInput',
  BAD_ENCODING: 'badInput',
  BAD_VALUE: 'badInput',
  TEMPLATE: 'badInput',
  NO_FILE: 'badInput',
  UNKNOWN_FILTER_VALUE: 'badInput',
  NO_SUCH_CARRIER: 'badInput',
  NO_RECIPIENT: 'badInput',
  BAD_USERNAME: 'badInput',
  BAD_ROLE: 'badInput',
  WEAK_PASSWORD: 'badInput',
  BAD_LEGAL_STATUS: 'badInput',
  BAD_LOG_KIND: 'badInput',
  EMPTY_NOTE: 'badInput',
  NOTE_REQUIRED: 'badInput',
  BAD_DIRECTION: 'badInput',
  BAD_HASH: 'badInput',
  BAD_STEP: 'badInput',
  NO_ACCOUNT: 'badInput',
  BAD_ASSIGNEE: 'badInput',
  BAD_STATUS: 'badInput',
  CLOSE_REASON_REQUIRED: 'badInput',
  BAD_REASON: 'badInput',
  BAD_LEAD: 'badInput',
  BAD_TITLE: 'badInput',
  BAD_AGENCY: 'badInput',
  BAD_DAYS: 'badInput',
  BAD_PUBLIC_KEY: 'badInput',
  NO_IDENTITY: 'badInput',
  NOT_A_SERVER: 'badInput',
  // Sign-in: who is asking is not known (401).
  UNAUTHENTICATED: 'unauthenticated',
  SESSION_EXPIRED: 'unauthenticated',
  BAD_CREDENTIALS: 'unauthenticated',
  TOTP_REQUIRED: 'unauthenticated',
  // Known, and not allowed (403).
  FORBIDDEN: 'forbidden',
  CSRF: 'forbidden',
  NOT_YOUR_TEAM: 'forbidden',
  NOT_YOURS: 'forbidden',
  TOTP_NOT_SET_UP: 'forbidden',
  REFUSED: 'forbidden',
  // Not found (404).
  NOT_FOUND: 'notFound',
  NO_SUCH_USER: 'notFound',
  NO_PEER: 'notFound',
  NO_SUCH_FILE: 'notFound',
  // In the way of something that exists or happened (409).
  CONFLICT: 'conflict',
  USERNAME_TAKEN: 'conflict',
  DUPLICATE_ATTACHMENT: 'conflict',
  STEP_BACKWARDS: 'conflict',
  ALREADY_ASSIGNED: 'conflict',
  CONFIRM_REQUIRED: 'conflict',
  NOTHING_TO_UNDO: 'conflict',
  CASE_CLOSED: 'conflict',
  SELF_LOCKOUT: 'conflict',
  NOT_FAILED: 'conflict',
  PEER_EXISTS: 'conflict',
  EXISTS: 'conflict',
  IN_USE: 'conflict',
  NOT_EMPTY: 'conflict',
  NOT_EMBEDDED: 'conflict',
  // Too large (413) and too many (429).
  TOO_LARGE: 'tooLarge',
  THROTTLED: 'tooMany',
  // Something this needs is not there or not set up (503).
  UNAVAILABLE: 'unavailable',
  NO_SHARED_KEY: 'unavailable',
  NO_SIGNING_KEY: 'unavailable',
  DATABASE_UNAVAILABLE: 'unavailable',
  // A fault of Bantay itself or of its surroundings (500): never the caller's doing.
  INTERNAL: 'internal',
  MIGRATION_FAILED: 'internal',
} as const satisfies Record<string, ErrorClass>;

/** Every error code Bantay throws. */
export type BantayErrorCode = keyof typeof CLASS_OF;

/** The codes of one class. */
export type CodeOf<K extends ErrorClass> = { [C in BantayErrorCode]: (typeof CLASS_OF)[C] extends K ? C : never }[BantayErrorCode];

/** Every code, in the order above (for tables and tests). */
export const ERROR_CODES = Object.keys(CLASS_OF) as BantayErrorCode[];

/** The class a code belongs to. */
export function errorClass(code: BantayErrorCode): ErrorClass {
  return CLASS_OF[code];
}

/** Extra facts a caller may use (the valid values, the problems of a file), sent beside code and message. */
export type ErrorDetails = Record<string, unknown>;

/** The one error Bantay throws: a code from the union, a message a person can act on, and optional details. */
export class BantayError extends Error {
  override readonly name = 'BantayError';
  /** The class of the code (bad input, not found, …). */
  readonly kind: ErrorClass;

  constructor(
    readonly code: BantayErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.kind = CLASS_OF[code];
  }
}

/** True when err is a BantayError (with the given code, when one is given). */
export function isBantayError(err: unknown, code?: BantayErrorCode): err is BantayError {
  return err instanceof BantayError && (code === undefined || err.code === code);
}

/** The request or the command is malformed or out of range. */
export const badInput = (code: CodeOf<'badInput'>, message: string, details?: ErrorDetails): BantayError => new BantayError(code, message, details);
/** Who is asking is not known (not signed in, bad credentials). */
export const unauthenticated = (code: CodeOf<'unauthenticated'>, message: string, details?: ErrorDetails): BantayError =>
  new BantayError(code, message, details);
/** Who is asking may not do this. */
export const forbidden = (code: CodeOf<'forbidden'>, message: string, details?: ErrorDetails): BantayError => new BantayError(code, message, details);
/** What is named does not exist. */
export const notFound = (code: CodeOf<'notFound'>, message: string, details?: ErrorDetails): BantayError => new BantayError(code, message, details);
/** The state of what is named is in the way (taken, already done, closed). */
export const conflict = (code: CodeOf<'conflict'>, message: string, details?: ErrorDetails): BantayError => new BantayError(code, message, details);
/** Larger than a limit. */
export const tooLarge = (code: CodeOf<'tooLarge'>, message: string, details?: ErrorDetails): BantayError => new BantayError(code, message, details);
/** Too many attempts; try again later. */
export const tooMany = (code: CodeOf<'tooMany'>, message: string, details?: ErrorDetails): BantayError => new BantayError(code, message, details);
/** Something this needs is missing or not set up (a key, the database). */
export const unavailable = (code: CodeOf<'unavailable'>, message: string, details?: ErrorDetails): BantayError => new BantayError(code, message, details);
/** A fault of Bantay itself: a broken invariant, a failed migration; the cause is kept for the log. */
export const internal = (message: string, cause?: unknown, code: CodeOf<'internal'> = 'INTERNAL'): BantayError =>
  new BantayError(code, message, {}, cause === undefined ? undefined : { cause });
