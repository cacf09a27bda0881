// Time values are epoch milliseconds (UTC) everywhere inside the generator; only the writer turns
// them into text, in the offset each report uses.
import { badInput } from '../model/error.ts';

/** Milliseconds in an hour. */
export const HOUR = 3_600_000;
/** Milliseconds in a minute. */
export const MINUTE = 60_000;
/** Milliseconds in a day. */
export const DAY = 86_400_000;

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

/** Minutes east of UTC for an offset written 'Z' or '±HH:MM'. */
export function offsetMinutes(tz: string): number {
  if (tz === 'Z') return 0;
  const sign = tz.startsWith('-') ? -1 : 1;
  return sign * (Number(tz.slice(1, 3)) * 60 + Number(tz.slice(4, 6)));
}

/** '±HH:MM' (or 'Z' for zero when `zulu`) for an offset in minutes. */
export function offsetText(minutes: number, zulu = false): string {
  if (minutes === 0 && zulu) return 'Z';
  const sign = minutes < 0 ? '-' : '+';
  const m = Math.abs(minutes);
  return `${sign}${pad2(Math.floor(m / 60))}:${pad2(m % 60)}`;
}

/** xs:dateTime of `ms` written in the offset `tz` ('Z' or '±HH:MM'), with milliseconds if asked. */
export function isoAt(ms: number, tz: string, millis = false): string {
  const off = offsetMinutes(tz);
  const d = new Date(ms + off * MINUTE);
  const base = `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}T${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  const frac = millis ? `.${String(d.getUTCMilliseconds()).padStart(3, '0')}` : '';
  return `${base}${frac}${tz === 'Z' ? 'Z' : tz}`;
}

/** xs:dateTime in UTC with 'Z', whole seconds. */
export function isoUtc(ms: number): string {
  return isoAt(Math.floor(ms / 1000) * 1000, 'Z');
}

/** The UTC calendar date (YYYY-MM-DD) of `ms`. */
export function utcDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
}

/** xs:date of `ms` (UTC). */
export function isoDate(ms: number): string {
  return utcDate(ms);
}

/** Epoch ms of a start given as 'YYYY-MM-DD' (midnight UTC) or a full ISO date-time. */
export function parseStart(start: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(start) ? Date.parse(`${start}T00:00:00Z`) : Date.parse(start);
  if (!Number.isFinite(ms)) throw badInput('BAD_OPTION', `start must be an ISO date such as 2026-01-01 (got ${JSON.stringify(start)})`);
  return ms;
}
