// Characters no stored text may hold: NUL (PostgreSQL text and jsonb refuse U+0000) and lone
// surrogates (UTF-16 halves that encode no character; jsonb refuses them and UTF-8 cannot carry
// them). Input may contain either (a JSON "\u0000" escape, a CSV cell with a zero byte); each
// reader decides per item whether to refuse it or replace them, and says so.

// A NUL, a high surrogate not followed by a low one, or a low surrogate not preceded by a high one.
const HOSTILE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const HOSTILE_ALL = new RegExp(HOSTILE.source, 'g');

/** The first character of `s` that text cannot store, as `U+XXXX` with its index; null when there is none. */
export function hostileChar(s: string): { index: number; code: string } | null {
  const m = HOSTILE.exec(s);
  return m ? { index: m.index, code: codeOf(m[0]) } : null;
}

/** `U+0000`, `U+D800`: how a character is named in a reason. */
export function codeOf(ch: string): string {
  return `U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;
}

/** `s` with every NUL and lone surrogate replaced by U+FFFD (the replacement character). */
export function replaceHostileChars(s: string): string {
  return HOSTILE.test(s) ? s.replace(HOSTILE_ALL, '\uFFFD') : s;
}

/** `s` with every NUL and lone surrogate written as its escape (`\u0000`, `\uD800`), so raw text can be stored and still shows what was there. */
export function escapeHostileChars(s: string): string {
  return HOSTILE.test(s) ? s.replace(HOSTILE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`) : s;
}

/** A JSON.stringify replacer that makes every string safe to store (see replaceHostileChars). */
export function safeJsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'string' ? replaceHostileChars(value) : value;
}
