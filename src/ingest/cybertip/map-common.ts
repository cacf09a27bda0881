// Mapping helpers and the XSD types shared across the report: phones, e-mails, addresses, persons,
// IP capture events, device ids, annotation flags. Each takes the node and its path (for messages
// and for unknown parts) and records what does not fit in the MapContext.

import type { Address, DeviceId, Email, IpCaptureEvent, Person, Phone } from '../../model/report.ts';
import { MapContext, quote, shown } from './map-context.ts';
import { boolOf, checkDate, dateOf, dateTimeOf, intOf, isNamespaceAttr, leaf, leafAt, parseBool } from './values.ts';
import { NONE, type XmlNode } from './xml-node.ts';

/** Keeps as unknown every attribute of `n` except those in `known` (which the caller reads itself). */
export function otherAttrs(n: XmlNode, path: string, ctx: MapContext, known: readonly string[]): void {
  const attrs = n.attrs;
  if (attrs === null) return;
  for (const key in attrs) {
    if (!known.includes(key) && !isNamespaceAttr(key)) ctx.keepAttr(path, key, attrs[key] ?? '');
  }
}

/** An attribute of `n`, or undefined. */
export function attr(n: XmlNode, name: string): string | undefined {
  return n.attrs?.[name];
}

// An element allowed once: true when this is the first occurrence, else it is kept as unknown.
/** For an element the schema allows once: true on its first occurrence; a repeat is kept as unknown (with a warning) and gives false. */
export function first(current: unknown, c: XmlNode, parent: string, ctx: MapContext): boolean {
  if (current === undefined) return true;
  ctx.duplicate(parent, c);
  return false;
}

/** A value the schema requires: "" plus a warning when absent. */
export function required(value: string | undefined, where: string, ctx: MapContext): string {
  if (value === undefined) {
    ctx.warn(`${shown(where)} is missing`);
    return '';
  }
  return value;
}

/** Sets a boolean field from a single-occurrence element (a bad value leaves it unset, with a warning). */
export function setBool<T>(target: T, key: keyof T, c: XmlNode, path: string, ctx: MapContext): void {
  if (!first(target[key], c, path, ctx)) return;
  const v = boolOf(c, path, ctx);
  if (v !== undefined) (target as Record<keyof T, unknown>)[key] = v;
}

/** Maps an element of XSD type `phone` at `path`. */
export function phone(n: XmlNode, path: string, ctx: MapContext): Phone {
  const p: Phone = { number: leafAt(n, path, ctx, true) };
  for (const key in n.attrs ?? NONE) {
    const v = n.attrs?.[key] ?? '';
    switch (key) {
      case 'type':
        p.type = v;
        break;
      case 'verified':
        p.verified = parseBool(v, `${path}/@verified`, ctx);
        break;
      case 'verificationDate':
        p.verificationDate = checkDate(v, `${path}/@verificationDate`, ctx);
        break;
      case 'countryCallingCode':
        p.countryCallingCode = v;
        break;
      case 'extension':
        p.extension = v;
        break;
      default:
        if (!isNamespaceAttr(key)) ctx.keepAttr(path, key, v);
    }
  }
  return p;
}

/** Maps an element of XSD type `email` at `path`. */
export function email(n: XmlNode, path: string, ctx: MapContext): Email {
  const e: Email = { address: leafAt(n, path, ctx, true) };
  for (const key in n.attrs ?? NONE) {
    const v = n.attrs?.[key] ?? '';
    switch (key) {
      case 'type':
        e.type = v;
        break;
      case 'verified':
        e.verified = parseBool(v, `${path}/@verified`, ctx);
        break;
      case 'verificationDate':
        e.verificationDate = checkDate(v, `${path}/@verificationDate`, ctx);
        break;
      default:
        if (!isNamespaceAttr(key)) ctx.keepAttr(path, key, v);
    }
  }
  return e;
}

/** Maps an element of XSD type `address` at `path`. */
export function address(n: XmlNode, path: string, ctx: MapContext): Address {
  const a: Address = {};
  otherAttrs(n, path, ctx, ['type']);
  const type = attr(n, 'type');
  if (type !== undefined) a.type = type;
  for (const c of n.children) {
    switch (c.name) {
      case 'address':
        if (first(a.address, c, path, ctx)) a.address = leaf(c, path, ctx);
        break;
      case 'city':
        if (first(a.city, c, path, ctx)) a.city = leaf(c, path, ctx);
        break;
      case 'zipCode':
        if (first(a.zipCode, c, path, ctx)) a.zipCode = leaf(c, path, ctx);
        break;
      case 'state':
        if (first(a.state, c, path, ctx)) a.state = leaf(c, path, ctx);
        break;
      case 'nonUsaState':
        if (first(a.nonUsaState, c, path, ctx)) a.nonUsaState = leaf(c, path, ctx);
        break;
      case 'country':
        if (first(a.country, c, path, ctx)) a.country = leaf(c, path, ctx);
        break;
      default:
        ctx.keep(path, c);
    }
  }
  return a;
}

/** The path of the index-th repeated child `name` of `parent`: `parent/phone[0]`. */
export function indexed(parent: string, name: string, index: number): string {
  return `${parent}/${name}[${index}]`;
}

/** Maps a `person` (full: with age and dateOfBirth) or `contactPerson` element at `path`. */
export function person(n: XmlNode, path: string, ctx: MapContext, full: boolean): Person {
  const p: Person = { phones: [], emails: [], addresses: [] };
  otherAttrs(n, path, ctx, []);
  for (const c of n.children) {
    switch (c.name) {
      case 'firstName':
        if (first(p.firstName, c, path, ctx)) p.firstName = leaf(c, path, ctx);
        break;
      case 'lastName':
        if (first(p.lastName, c, path, ctx)) p.lastName = leaf(c, path, ctx);
        break;
      case 'phone':
        p.phones.push(phone(c, indexed(path, 'phone', p.phones.length), ctx));
        break;
      case 'email':
        p.emails.push(email(c, indexed(path, 'email', p.emails.length), ctx));
        break;
      case 'address':
        p.addresses.push(address(c, indexed(path, 'address', p.addresses.length), ctx));
        break;
      case 'age':
        if (!full) ctx.keep(path, c);
        else if (first(p.age, c, path, ctx)) {
          const v = intOf(c, path, ctx);
          if (v !== undefined) p.age = v;
        }
        break;
      case 'dateOfBirth':
        if (!full) ctx.keep(path, c);
        else if (first(p.dateOfBirth, c, path, ctx)) {
          const v = dateOf(c, path, ctx);
          if (v !== undefined) p.dateOfBirth = v;
        }
        break;
      default:
        ctx.keep(path, c);
    }
  }
  return p;
}

/** Maps an element of XSD type `ipCaptureEvent` at `path`. */
export function ipEvent(n: XmlNode, path: string, ctx: MapContext): IpCaptureEvent {
  let ipAddress: string | undefined;
  const e: Omit<IpCaptureEvent, 'ipAddress'> = {};
  otherAttrs(n, path, ctx, []);
  for (const c of n.children) {
    switch (c.name) {
      case 'ipAddress':
        if (first(ipAddress, c, path, ctx)) ipAddress = leaf(c, path, ctx);
        break;
      case 'eventName':
        if (first(e.eventName, c, path, ctx)) e.eventName = leaf(c, path, ctx);
        break;
      case 'dateTime':
        if (first(e.dateTime, c, path, ctx)) {
          const v = dateTimeOf(c, path, ctx);
          if (v !== undefined) e.dateTime = v;
        }
        break;
      case 'possibleProxy':
        if (first(e.possibleProxy, c, path, ctx)) {
          const v = boolOf(c, path, ctx);
          if (v !== undefined) e.possibleProxy = v;
        }
        break;
      case 'port':
        if (first(e.port, c, path, ctx)) {
          const v = intOf(c, path, ctx);
          if (v !== undefined) e.port = v;
        }
        break;
      default:
        ctx.keep(path, c);
    }
  }
  return { ipAddress: required(ipAddress, `${path}/ipAddress`, ctx), ...e };
}

/** Maps an element of XSD type `deviceId` at `path`. */
export function device(n: XmlNode, path: string, ctx: MapContext): DeviceId {
  let idType: string | undefined;
  let idValue: string | undefined;
  let eventName: string | undefined;
  let dateTime: string | undefined;
  let sawDate = false;
  otherAttrs(n, path, ctx, []);
  for (const c of n.children) {
    switch (c.name) {
      case 'idType':
        if (first(idType, c, path, ctx)) idType = leaf(c, path, ctx);
        break;
      case 'idValue':
        if (first(idValue, c, path, ctx)) idValue = leaf(c, path, ctx);
        break;
      case 'eventName':
        if (first(eventName, c, path, ctx)) eventName = leaf(c, path, ctx);
        break;
      case 'dateTime':
        if (first(sawDate ? true : undefined, c, path, ctx)) {
          sawDate = true;
          dateTime = dateTimeOf(c, path, ctx);
        }
        break;
      default:
        ctx.keep(path, c);
    }
  }
  const d: DeviceId = { idType: required(idType, `${path}/idType`, ctx), idValue: required(idValue, `${path}/idValue`, ctx) };
  if (eventName !== undefined) d.eventName = eventName;
  if (dateTime !== undefined) d.dateTime = dateTime;
  return d;
}

// The schema fixes each annotation flag to true, so an empty element counts as set and an
// explicit false is left out with a warning.
/** The names of the flags set in a reportAnnotations or fileAnnotations element at `path`. */
export function annotationNames(n: XmlNode, path: string, ctx: MapContext): string[] {
  otherAttrs(n, path, ctx, []);
  const names: string[] = [];
  for (const c of n.children) {
    if (c.name === '') {
      ctx.keep(path, c);
      continue;
    }
    const raw = leaf(c, path, ctx);
    const v = raw.trim();
    if (v === 'false' || v === '0') {
      ctx.warn(`${shown(`${path}/${c.name}`)} is ${quote(raw)}; the annotation is not counted`);
      continue;
    }
    if (v !== '' && v !== 'true' && v !== '1') ctx.warn(`${shown(`${path}/${c.name}`)} ${quote(raw)} is not a boolean; the annotation is counted`);
    if (!names.includes(c.name)) names.push(c.name);
  }
  return names;
}
