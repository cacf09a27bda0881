// Reading typed values out of parsed nodes: strings as written, booleans and numbers parsed
// leniently (a bad one is a warning), dates checked strictly (a bad one is a hard-rule violation).

import { isXsDate, isXsDateTime } from '../../model/report.ts';
import { MapContext, quote, shown } from './map-context.ts';
import type { XmlNode } from './xml-node.ts';

/** True for namespace plumbing (xmlns, xmlns:*, xsi:*), which carries no report data and is neither mapped nor kept. */
export function isNamespaceAttr(name: string): boolean {
  return name === 'xmlns' || name.startsWith('xmlns:') || name.startsWith('xsi:');
}

/** The text of the simple-content element at `self`; stray child elements and (unless `attrsHandled`) attributes are kept as unknown. */
export function leafAt(n: XmlNode, self: string, ctx: MapContext, attrsHandled = false): string {
  const attrs = n.attrs;
  if (!attrsHandled && attrs !== null) {
    for (const key in attrs) {
      if (!isNamespaceAttr(key)) ctx.keepAttr(self, key, attrs[key] ?? '');
    }
  }
  if (n.children.length === 0) return n.text;
  let text = '';
  for (const c of n.children) {
    if (c.name === '') text += c.text;
    else ctx.keep(self, c);
  }
  return text;
}

/** The text of simple-content child `n` of the element at `parent` (see leafAt; the path is only built when needed). */
export function leaf(n: XmlNode, parent: string, ctx: MapContext, attrsHandled = false): string {
  if (n.children.length === 0 && (attrsHandled || n.attrs === null)) return n.text;
  return leafAt(n, `${parent}/${n.name}`, ctx, attrsHandled);
}

/** Parses xs:boolean; anything else is undefined plus a warning naming `where`. */
export function parseBool(raw: string, where: string, ctx: MapContext): boolean | undefined {
  const v = raw.trim();
  if (v === 'true' || v === '1') return true;
  if (v === 'false' || v === '0') return false;
  ctx.warn(`${shown(where)} ${quote(raw)} is not a boolean (true, false, 1 or 0); left unset`);
  return undefined;
}

/** A boolean element's value. */
export function boolOf(n: XmlNode, parent: string, ctx: MapContext): boolean | undefined {
  return parseBool(leaf(n, parent, ctx), `${parent}/${n.name}`, ctx);
}

const INT = /^[+-]?\d+$/;

/** Parses xs:int; anything else is undefined plus a warning. */
export function intOf(n: XmlNode, parent: string, ctx: MapContext): number | undefined {
  const raw = leaf(n, parent, ctx);
  const v = raw.trim();
  if (INT.test(v)) {
    const num = Number(v);
    if (num >= -2147483648 && num <= 2147483647) return num;
  }
  ctx.warn(`${shown(`${parent}/${n.name}`)} ${quote(raw)} is not a whole number; left unset`);
  return undefined;
}

const DOUBLE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/** Parses a finite xs:double; anything else is undefined plus a warning. */
export function doubleOf(n: XmlNode, parent: string, ctx: MapContext): number | undefined {
  const raw = leaf(n, parent, ctx);
  const v = raw.trim();
  if (DOUBLE.test(v)) return Number(v);
  ctx.warn(`${shown(`${parent}/${n.name}`)} ${quote(raw)} is not a number; left unset`);
  return undefined;
}

/**
 * Checks an optional xs:dateTime (or xs:date when `dateOnly`) written at `where`. Returns the value
 * trimmed; an empty value is treated as absent (warning); an invalid one is a violation and is
 * returned as written.
 */
export function checkDate(raw: string, where: string, ctx: MapContext, dateOnly = false): string | undefined {
  const v = raw.trim();
  if (v === '') {
    ctx.warn(`${shown(where)} is empty; treated as absent`);
    return undefined;
  }
  if (dateOnly ? !isXsDate(v) : !isXsDateTime(v)) {
    ctx.violate(`${shown(where)} ${quote(raw)} is not a ${dateOnly ? 'date' : 'date-time'}`);
    return raw;
  }
  return v;
}

/** An optional date-time element's value (see checkDate). */
export function dateTimeOf(n: XmlNode, parent: string, ctx: MapContext): string | undefined {
  return checkDate(leaf(n, parent, ctx), `${parent}/${n.name}`, ctx);
}

/** An optional date element's value (see checkDate). */
export function dateOf(n: XmlNode, parent: string, ctx: MapContext): string | undefined {
  return checkDate(leaf(n, parent, ctx), `${parent}/${n.name}`, ctx, true);
}

// The common case: digits without a leading zero, short enough to be a long whatever they are.
const PLAIN_ID = /^[1-9]\d{0,17}$/;

/** Report numbers are xs:long digits; leading zeros and a plus sign are dropped so one report has one id. */
export function normalizeReportNumber(raw: string): string | null {
  if (PLAIN_ID.test(raw)) return raw;
  const v = raw.trim();
  if (!/^\+?\d+$/.test(v)) return null;
  const digits = v.replace(/^\+?0*/, '') || '0';
  if (digits.length > 19 || (digits.length === 19 && digits > '9223372036854775807')) return null;
  return digits;
}
