// XML Schema date and date-time values, checked and converted without Date.parse:
// Date.parse reads a zone-less date-time as local time and accepts values XSD rejects.
import { badInput } from './error.ts';

// Year: four digits, or more without a leading zero; an optional minus sign (XSD 1.0 has no year 0000).
const DATE_TIME = /^(-?(?:[1-9]\d{4,}|\d{4}))-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const DATE = /^(-?(?:[1-9]\d{4,}|\d{4}))-(\d{2})-(\d{2})(Z|[+-]\d{2}:\d{2})?$/;

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string;
  offsetMinutes: number;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function zoneMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const h = Number(zone.slice(1, 3));
  const m = Number(zone.slice(4, 6));
  if (m > 59 || h * 60 + m > 14 * 60) return null;
  return sign * (h * 60 + m);
}

function parseDateTime(value: string): Parts | null {
  const m = DATE_TIME.exec(value.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = Number(m[4]);
  const minute = Number(m[5]);
  const second = Number(m[6]);
  const fraction = m[7] ?? '';
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (minute > 59 || second > 59) return null;
  // 24:00:00 is allowed (end of day) only with zero minutes, seconds and fraction.
  if (hour > 24 || (hour === 24 && (minute !== 0 || second !== 0 || /[1-9]/.test(fraction)))) return null;
  const offsetMinutes = zoneMinutes(m[8]);
  if (offsetMinutes === null) return null;
  return { year, month, day, hour, minute, second, fraction, offsetMinutes };
}

/** True when `value` is a valid xs:dateTime (surrounding whitespace allowed, as XSD collapses it). */
export function isXsDateTime(value: string): boolean {
  return parseDateTime(value) !== null;
}

/** True when `value` is a valid xs:date (surrounding whitespace allowed). */
export function isXsDate(value: string): boolean {
  const m = DATE.exec(value.trim());
  if (!m) return false;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  if (year === 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false;
  return zoneMinutes(m[4]) !== null;
}

/** Converts an xs:dateTime to an ISO-8601 UTC string (`2026-03-01T10:00:00.000Z`); a value without a zone is taken as UTC. Throws BAD_VALUE on an invalid value. */
export function toUtcIso(value: string): string {
  const p = parseDateTime(value);
  if (!p) throw badInput('BAD_VALUE', `not an xs:dateTime: ${JSON.stringify(value)}`);
  const ms = p.fraction ? Math.floor(Number(`0${p.fraction}`) * 1000) : 0;
  const d = new Date(0);
  // setUTCFullYear keeps years 0-99 literal (Date.UTC would map them to 1900-1999).
  d.setUTCFullYear(p.year, p.month - 1, p.day);
  d.setUTCHours(p.hour, p.minute - p.offsetMinutes, p.second, ms);
  if (Number.isNaN(d.getTime())) throw badInput('BAD_VALUE', `xs:dateTime out of the representable range: ${JSON.stringify(value)}`);
  return d.toISOString();
}
