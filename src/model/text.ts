// Text that PostgreSQL and UTF-8 can hold exactly: no NUL (a text column refuses it) and no lone
// UTF-16 surrogate (UTF-8 cannot encode it, so it would be stored as U+FFFD and read back changed).

const NUL = /\u0000/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a string cannot be stored as it is, in words; undefined when it can. */
export function textProblem(s: string): string | undefined {
  if (NUL.test(s)) return 'contains a NUL character (U+0000)';
  if (LONE_SURROGATE.test(s)) return 'contains an unpaired UTF-16 surrogate (not a valid character)';
  return undefined;
}

/** The string as it will be stored and read back: NUL and lone surrogates become U+FFFD. */
export function storableText(s: string): string {
  return s.replace(/\u0000/g, '\uFFFD').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}

/** The first string in a JSON-like value that cannot be stored, with its path (`body.items[2].itemId`). */
export function findBadText(value: unknown, path: string): { path: string; problem: string } | undefined {
  if (typeof value === 'string') {
    const problem = textProblem(value);
    return problem ? { path, problem } : undefined;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const bad = findBadText(value[i], `${path}[${i}]`);
      if (bad) return bad;
    }
    return undefined;
  }
  if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const keyProblem = textProblem(k);
      if (keyProblem) return { path: `${path} (a field name)`, problem: keyProblem };
      const bad = findBadText(v, `${path}.${k}`);
      if (bad) return bad;
    }
  }
  return undefined;
}
