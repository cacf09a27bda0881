// Reading typed values out of one parsed LE JSON object, the JSON counterpart of
// ../cybertip/values.ts: strings as written, booleans and numbers leniently (a bad one is a
// warning), dates strictly (a bad one sets the report aside), and every key not read kept verbatim.

import { isXsDate, isXsDateTime, type UnknownPart } from '../../model/report.ts';
import { normalizeReportNumber } from '../cybertip/values.ts';

const MAX_QUOTED = 80;

/** A value quoted for a message, shortened when long. */
export function quoted(value: unknown): string {
  const s = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(s.length > MAX_QUOTED ? `${s.slice(0, MAX_QUOTED)}…` : s);
}

/** Collects unknown keys, warnings and hard-rule violations while one document is mapped. */
export class LeContext {
  readonly unknown: UnknownPart[] = [];
  readonly warnings: string[] = [];
  readonly violations: string[] = [];

  /** Keeps a key the mapping does not know, as `{"key": value}` JSON text (see docs/lejson.md). */
  keep(path: string, key: string, value: unknown): void {
    this.unknown.push({ path: path === '' ? key : `${path}/${key}`, xml: JSON.stringify({ [key]: value }) });
  }

  /** Records a readable warning. */
  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Records a hard-rule violation. */
  violate(message: string): void {
    this.violations.push(message);
  }
}

/** True for a plain JSON object (not an array, not null). */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}/${key}`;
}

const INT = /^[+-]?\d+$/;
const DOUBLE = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One JSON object being mapped: each accessor marks its key as read; `done()` keeps every key
 * not read in `unknown`. A `null` value counts as absent.
 */
export class Fields {
  private readonly used = new Set<string>();

  constructor(
    readonly o: Record<string, unknown>,
    readonly path: string,
    readonly ctx: LeContext,
  ) {}

  /** The path of a key, for messages. */
  at(key: string): string {
    return join(this.path, key);
  }

  /** True when the key is present and not null. */
  has(key: string): boolean {
    const v = this.o[key];
    return v !== undefined && v !== null;
  }

  /** The raw value (marks the key read); undefined for null. */
  raw(key: string): unknown {
    const v = this.o[key];
    // Most keys asked for are absent: only a present one needs marking (JSON has no undefined values).
    if (v === undefined) return undefined;
    this.used.add(key);
    return v === null ? undefined : v;
  }

  /** A string as written; numbers and booleans become their JSON text; an object or array is kept as unknown with a warning. */
  str(key: string): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    this.misfit(key, v, 'text');
    return undefined;
  }

  /** A boolean: true/false, or the strings true, false, 1, 0; anything else is a warning. */
  bool(key: string): boolean | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v === 'boolean') return v;
    const t = typeof v === 'string' || typeof v === 'number' ? String(v).trim() : '';
    if (t === 'true' || t === '1') return true;
    if (t === 'false' || t === '0') return false;
    this.ctx.warn(`${this.at(key)} ${quoted(v)} is not a boolean (true, false, 1 or 0); left unset`);
    return undefined;
  }

  /** A whole number (a JSON number or digits in a string) within xs:int; anything else is a warning. */
  int(key: string): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    const t = typeof v === 'number' ? String(v) : typeof v === 'string' ? v.trim() : '';
    if (INT.test(t)) {
      const num = Number(t);
      if (num >= -2147483648 && num <= 2147483647) return num;
    }
    this.ctx.warn(`${this.at(key)} ${quoted(v)} is not a whole number; left unset`);
    return undefined;
  }

  /** A finite number; anything else is a warning. */
  num(key: string): number | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    if (typeof v === 'string' && DOUBLE.test(v.trim())) return Number(v.trim());
    this.ctx.warn(`${this.at(key)} ${quoted(v)} is not a number; left unset`);
    return undefined;
  }

  /** An optional xs:dateTime (or xs:date): trimmed; empty is absent with a warning; invalid is a violation and kept as written. */
  date(key: string, dateOnly = false): string | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (typeof v !== 'string') {
      this.ctx.violate(
        `${this.at(key)} ${quoted(v)} is not a ${dateOnly ? 'date' : 'date-time'} (a string such as ${dateOnly ? '2026-01-31' : '2026-01-31T08:15:00Z'})`,
      );
      return String(v);
    }
    const t = v.trim();
    if (t === '') {
      this.ctx.warn(`${this.at(key)} is empty; treated as absent`);
      return undefined;
    }
    if (dateOnly ? !isXsDate(t) : !isXsDateTime(t)) {
      this.ctx.violate(`${this.at(key)} ${quoted(v)} is not a ${dateOnly ? 'date' : 'date-time'}`);
      return v;
    }
    return t;
  }

  /** The first of `keys` that holds text (see str); the others present are kept as unknown. */
  firstStr(...keys: string[]): string | undefined {
    for (const k of keys) {
      if (!this.has(k)) continue;
      const v = this.str(k);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /**
   * An optional date-time NCMEC's systems add (not the ESP's report): trimmed; one that is not an
   * xs:dateTime is kept as written with a warning, never a reason to set the report aside.
   */
  looseDate(key: string): string | undefined {
    const v = this.str(key);
    if (v === undefined) return undefined;
    const t = v.trim();
    if (t === '') return undefined;
    if (!isXsDateTime(t)) this.ctx.warn(`${this.at(key)} ${quoted(v)} is not a date-time; kept as written`);
    return isXsDateTime(t) ? t : v;
  }

  /**
   * Report numbers under `key` (see list): digits in strings or numbers, or objects holding one
   * under `reportId`, `cybertipReportId`, `id` or `value`; normalised like reportId (leading
   * zeros and `+` dropped); one that is not a report number is kept as written with a warning.
   */
  reportNumbers(key: string, inner: string | string[] = key): string[] {
    const out: string[] = [];
    for (const e of this.list(key, inner)) {
      let v = e.value;
      if (isObject(v)) {
        const f = new Fields(v, e.path, this.ctx);
        v = f.firstStr('reportId', 'cybertipReportId', 'id', 'value');
        f.done();
        if (v === undefined) continue;
      }
      if (typeof v !== 'string' && typeof v !== 'number') {
        this.ctx.unknown.push({ path: e.path, xml: JSON.stringify(v) });
        this.ctx.warn(`${e.path} is not a report number; kept as unknown`);
        continue;
      }
      const text = String(v);
      const id = normalizeReportNumber(text);
      if (id === null) this.ctx.warn(`${e.path} ${quoted(text)} is not a report number; kept as written`);
      out.push(id ?? text);
    }
    return out;
  }

  /** A nested object; a value of another type is kept as unknown with a warning. */
  obj(key: string): Fields | undefined {
    const v = this.raw(key);
    if (v === undefined) return undefined;
    if (isObject(v)) return new Fields(v, this.at(key), this.ctx);
    this.misfit(key, v, 'an object');
    return undefined;
  }

  /**
   * A list, written either as an array or wrapped in an object under `inner` (the LE style:
   * `"emails": {"emails": [...]}`; several names may be given); `null` (or a wrapper holding
   * `null`) is an empty list; a single object or string counts as a list of one. Returns each
   * element with its path.
   */
  list(key: string, inner: string | string[] = key): { value: unknown; path: string }[] {
    const v = this.raw(key);
    if (v === undefined) return [];
    let arr: unknown[];
    let base = this.at(key);
    const wrapper = isObject(v) ? (typeof inner === 'string' ? [inner] : inner).find((k) => k in v) : undefined;
    if (Array.isArray(v)) arr = v;
    else if (wrapper !== undefined) {
      const w = new Fields(v as Record<string, unknown>, base, this.ctx);
      const got = w.raw(wrapper);
      w.done();
      base = `${base}/${wrapper}`;
      arr = got === undefined ? [] : Array.isArray(got) ? got : [got];
    } else arr = [v];
    const out: { value: unknown; path: string }[] = [];
    for (let i = 0; i < arr.length; i++) if (arr[i] !== null) out.push({ value: arr[i], path: `${base}[${i}]` });
    return out;
  }

  /** A list of objects (see list); elements that are not objects are kept as unknown with a warning. */
  objects(key: string, inner: string | string[] = key): Fields[] {
    const out: Fields[] = [];
    for (const e of this.list(key, inner)) {
      if (isObject(e.value)) out.push(new Fields(e.value, e.path, this.ctx));
      else {
        this.ctx.unknown.push({ path: e.path, xml: JSON.stringify(e.value) });
        this.ctx.warn(`${e.path} is not an object; kept as unknown`);
      }
    }
    return out;
  }

  /**
   * A list of strings (see list); an element that is an object takes its `field` (default
   * `value`; the first present of several); other shapes are kept as unknown with a warning.
   */
  strings(key: string, inner: string | string[] = key, field: string | string[] = 'value'): string[] {
    const out: string[] = [];
    const fields = typeof field === 'string' ? [field] : field;
    for (const e of this.list(key, inner)) {
      const v = e.value;
      const named = isObject(v) ? fields.find((k) => typeof v[k] === 'string' || typeof v[k] === 'number') : undefined;
      if (typeof v === 'string') out.push(v);
      else if (typeof v === 'number' || typeof v === 'boolean') out.push(String(v));
      else if (isObject(v) && named !== undefined) {
        const f = new Fields(v, e.path, this.ctx);
        out.push(f.str(named)!);
        f.done();
      } else {
        this.ctx.unknown.push({ path: e.path, xml: JSON.stringify(v) });
        this.ctx.warn(`${e.path} is not text; kept as unknown`);
      }
    }
    return out;
  }

  /** Keeps every key not read (a null one is absent, so there is nothing to keep). */
  done(): void {
    for (const key of Object.keys(this.o)) {
      if (!this.used.has(key) && this.o[key] !== null) this.ctx.keep(this.path, key, this.o[key]);
    }
  }

  private misfit(key: string, v: unknown, wanted: string): void {
    this.ctx.keep(this.path, key, v);
    this.ctx.warn(`${this.at(key)} is not ${wanted}; kept as unknown`);
  }
}
