// The command line's exit codes: one per class of error (README "Using it", docs/api.md). 3 is not an
// error: ingest and geo import exit 3 when some items were set aside and the rest loaded.
import type { ErrorClass } from '../model/error.ts';

/** The exit code of each class of error. */
export const EXIT_CODES: Record<ErrorClass, number> = {
  internal: 1,
  badInput: 2,
  tooLarge: 2,
  notFound: 4,
  conflict: 5,
  unauthenticated: 6,
  forbidden: 6,
  tooMany: 7,
  unavailable: 7,
};

/** Exit code 2: a bad option or setting (commander's usage errors and the configuration's refusals). */
export const EXIT_BAD_INPUT = EXIT_CODES.badInput;
