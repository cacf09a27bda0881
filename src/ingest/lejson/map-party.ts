// LE JSON people onto the canonical model: reported persons, intended recipients and victims
// (Party), their contact details, source captures (IP addresses and device ids), associated
// accounts. The person's own fields sit flat on the party in LE JSON; see docs/lejson.md.

import type {
  AccountDisabled,
  Address,
  AssociatedAccount,
  DeviceId,
  Email,
  EstimatedLocation,
  IpCaptureEvent,
  Party,
  PartyRole,
  Person,
  Phone,
} from '../../model/report.ts';
import { Fields, isObject } from './fields.ts';
import { ncmecLinks } from './map-ncmec.ts';

/** captureType values that mean an IP address (compared lower-cased); anything else is a device id. */
const IP_CAPTURE = new Set(['ip', 'ip address', 'ipaddress', 'ip_address', 'ipv4', 'ipv6']);

/** True when a source capture's type names an IP address (or is absent). */
export function isIpCapture(captureType: string | undefined): boolean {
  return captureType === undefined || IP_CAPTURE.has(captureType.trim().toLowerCase());
}

function phone(f: Fields): Phone {
  const p: Phone = { number: f.str('value') ?? f.str('phoneNumber') ?? f.str('number') ?? '' };
  const type = f.str('type');
  if (type !== undefined) p.type = type;
  const verified = f.bool('verified');
  if (verified !== undefined) p.verified = verified;
  const vd = f.date('verificationDate');
  if (vd !== undefined) p.verificationDate = vd;
  const cc = f.str('countryCallingCode');
  if (cc !== undefined) p.countryCallingCode = cc;
  const ext = f.str('extension');
  if (ext !== undefined) p.extension = ext;
  f.done();
  return p;
}

function email(f: Fields): Email {
  const e: Email = { address: f.str('value') ?? f.str('emailAddress') ?? f.str('email') ?? '' };
  const type = f.str('type');
  if (type !== undefined) e.type = type;
  const verified = f.bool('verified');
  if (verified !== undefined) e.verified = verified;
  const vd = f.date('verificationDate');
  if (vd !== undefined) e.verificationDate = vd;
  f.done();
  return e;
}

/** The phones under `key` (objects, or plain strings). */
export function phones(f: Fields, key = 'phones'): Phone[] {
  return f.list(key).map((e) => (typeof e.value === 'string' ? { number: e.value } : phone(asFields(f, e))));
}

/** The e-mail addresses under `key` (objects, or plain strings). */
export function emails(f: Fields, key = 'emails'): Email[] {
  return f.list(key).map((e) => (typeof e.value === 'string' ? { address: e.value } : email(asFields(f, e))));
}

function asFields(parent: Fields, e: { value: unknown; path: string }): Fields {
  const o = typeof e.value === 'object' && e.value !== null && !Array.isArray(e.value) ? (e.value as Record<string, unknown>) : { value: e.value };
  return new Fields(o, e.path, parent.ctx);
}

/** The postal addresses under `key`. */
export function addresses(f: Fields, key = 'addresses'): Address[] {
  return f.objects(key).map((a) => {
    const out: Address = {};
    const set = (k: keyof Address, v: string | undefined): void => {
      if (v !== undefined) out[k] = v;
    };
    set('type', a.str('type'));
    set('address', a.str('address') ?? a.str('street'));
    set('city', a.str('city'));
    set('zipCode', a.str('zipCode'));
    set('state', a.str('state'));
    set('nonUsaState', a.str('nonUsaState'));
    set('country', a.str('country'));
    a.done();
    return out;
  });
}

const PERSON_KEYS = ['firstName', 'lastName', 'dateOfBirth', 'approximateAge', 'age', 'emails', 'phones', 'addresses'];

/** The person whose fields sit flat on `f`, or undefined when none of them is present (null counts as absent). */
export function flatPerson(f: Fields): Person | undefined {
  if (!PERSON_KEYS.some((k) => f.has(k))) {
    for (const k of PERSON_KEYS) f.raw(k);
    return undefined;
  }
  const p: Person = { phones: phones(f), emails: emails(f), addresses: addresses(f) };
  const first = f.str('firstName');
  if (first !== undefined) p.firstName = first;
  const last = f.str('lastName');
  if (last !== undefined) p.lastName = last;
  const age = f.has('approximateAge') ? f.int('approximateAge') : f.int('age');
  if (age !== undefined) p.age = age;
  const dob = f.date('dateOfBirth', true);
  if (dob !== undefined) p.dateOfBirth = dob;
  return p;
}

/** One source capture as an IP capture event. */
export function ipEvent(c: Fields): IpCaptureEvent {
  const ip = c.str('value') ?? c.str('ipAddress');
  if (ip === undefined) c.ctx.warn(`${c.at('value')} is missing: a source capture holds no IP address`);
  const e: IpCaptureEvent = { ipAddress: ip ?? '' };
  const name = c.str('eventName');
  if (name !== undefined) e.eventName = name;
  const dt = c.date('dateTime');
  if (dt !== undefined) e.dateTime = dt;
  const proxy = c.bool('possibleProxy');
  if (proxy !== undefined) e.possibleProxy = proxy;
  const port = c.int('port');
  if (port !== undefined) e.port = port;
  return e;
}

// NCMEC writes captureType "Device ID" with the kind of id in valueType (IDFA, GAID, IMEI...).
function deviceId(c: Fields, captureType: string): DeviceId {
  const valueType = c.str('valueType');
  const idType = valueType ?? captureType;
  const value = c.str('value');
  if (value === undefined) c.ctx.warn(`${c.at('value')} is missing: a device capture holds no value`);
  const d: DeviceId = { idType, idValue: value ?? '' };
  const name = c.str('eventName');
  if (name !== undefined) d.eventName = name;
  const dt = c.date('dateTime');
  if (dt !== undefined) d.dateTime = dt;
  return d;
}

/** Source captures split into IP capture events and device ids, each list in document order. */
export function captures(list: Fields[]): { ips: IpCaptureEvent[]; devices: DeviceId[]; ipSources: Fields[] } {
  const ips: IpCaptureEvent[] = [];
  const devices: DeviceId[] = [];
  const ipSources: Fields[] = [];
  for (const c of list) {
    let type = c.str('captureType');
    const valueType = c.o['valueType'];
    // A capture that names only its valueType is a device id unless that names an IP.
    if (type === undefined && typeof valueType === 'string' && !isIpCapture(valueType)) type = valueType;
    if (isIpCapture(type)) {
      // An IP capture's valueType (IPv4, IPv6) says nothing the address does not.
      c.raw('valueType');
      ips.push(ipEvent(c));
      ipSources.push(c);
    } else devices.push(deviceId(c, type!));
    c.done();
  }
  return { ips, devices, ipSources };
}

/** The source captures of `f`: under `sourceInformation.sourceCaptures`, or `sourceCaptures` directly. */
export function sourceCaptures(f: Fields): Fields[] {
  return [...f.objects('sourceInformation', 'sourceCaptures'), ...f.objects('sourceCaptures')];
}

function disabled(f: Fields, key: string): AccountDisabled | undefined {
  const v = f.o[key];
  if (typeof v === 'boolean' || typeof v === 'string') {
    const d = f.bool(key);
    return d === undefined ? undefined : { disabled: d };
  }
  const o = f.obj(key);
  if (!o) return undefined;
  const out: AccountDisabled = {};
  const d = o.bool('disabled');
  if (d !== undefined) out.disabled = d;
  const dd = o.date('disabledDate');
  if (dd !== undefined) out.disabledDate = dd;
  const un = o.bool('userNotified');
  if (un !== undefined) out.userNotified = un;
  const und = o.date('userNotifiedDate');
  if (und !== undefined) out.userNotifiedDate = und;
  const rd = o.date('reenabledDate');
  if (rd !== undefined) out.reenabledDate = rd;
  o.done();
  return out;
}

/** The party's estimated locations: Bantay's earlier `estimatedLocation`, then NCMEC's `espEstimatedLocations` list, in document order. */
function locations(f: Fields): EstimatedLocation[] {
  const out: EstimatedLocation[] = [];
  const one = f.obj('estimatedLocation');
  if (one) out.push(location(one));
  for (const o of f.objects('espEstimatedLocations', 'espEstimatedLocations')) out.push(location(o));
  return out;
}

function location(o: Fields): EstimatedLocation {
  const out: EstimatedLocation = {};
  const set = (k: 'city' | 'region' | 'countryCode', v: string | undefined): void => {
    if (v !== undefined) out[k] = v;
  };
  set('city', o.str('city'));
  set('region', o.str('region'));
  set('countryCode', o.str('countryCode'));
  const verified = o.bool('verified');
  if (verified !== undefined) out.verified = verified;
  const ts = o.date('timestamp');
  if (ts !== undefined) out.timestamp = ts;
  o.done();
  return out;
}

function associated(a: Fields): AssociatedAccount {
  const type = a.str('type');
  if (type === undefined) a.ctx.warn(`${a.at('type')} is missing; left empty`);
  const caps = captures(sourceCaptures(a));
  const out: AssociatedAccount = {
    type: type ?? '',
    phones: phones(a),
    emails: emails(a),
    addresses: addresses(a),
    profileUrls: a.strings('profileUrls'),
    displayNames: a.strings('displayNames'),
    ipCaptureEvents: caps.ips,
    deviceIds: caps.devices,
    priorCTReports: [...a.reportNumbers('priorCTReports'), ...a.reportNumbers('priorCybertipReports', ['priorCybertipReports', 'priorCTReports'])],
  };
  const s = (
    k: 'platform' | 'firstName' | 'middleName' | 'lastName' | 'espService' | 'screenName' | 'profileBio' | 'groupIdentifier' | 'additionalInfo',
    key: string = k,
  ): void => {
    const v = a.str(key);
    if (v !== undefined) out[k] = v;
  };
  const b = (k: 'thirdPartyUser' | 'allEmailsReported' | 'compromisedAccount'): void => {
    const v = a.bool(k);
    if (v !== undefined) out[k] = v;
  };
  s('platform');
  b('thirdPartyUser');
  s('firstName');
  s('middleName');
  s('lastName');
  const age = a.int('approximateAge');
  if (age !== undefined) out.approximateAge = age;
  const dob = a.date('dateOfBirth', true);
  if (dob !== undefined) out.dateOfBirth = dob;
  b('allEmailsReported');
  s('espService');
  const id = a.str('espUserId') ?? a.str('espIdentifier');
  if (id !== undefined) out.espIdentifier = id;
  s('screenName');
  s('profileBio');
  s('groupIdentifier');
  b('compromisedAccount');
  const t = disabled(a, 'accountTemporarilyDisabled');
  if (t) out.accountTemporarilyDisabled = t;
  const p = disabled(a, 'accountPermanentlyDisabled');
  if (p) out.accountPermanentlyDisabled = p;
  s('additionalInfo');
  a.done();
  return out;
}

/** A screen name: text, or an object holding it (`{"value": ...}`). */
function screenName(f: Fields): string | undefined {
  const v = f.o['screenName'];
  if (!isObject(v)) return f.str('screenName');
  const o = f.obj('screenName')!;
  const name = o.firstStr('value', 'screenName', 'name');
  o.done();
  return name;
}

/** One reported person, intended recipient or victim. */
export function party(f: Fields, role: PartyRole): Party {
  const caps = captures(sourceCaptures(f));
  // A person's own ipAddress (NCMEC's shape) is one more IP capture, without a time.
  const ownIp = f.str('ipAddress');
  if (ownIp !== undefined && ownIp.trim() !== '') caps.ips.push({ ipAddress: ownIp });
  const out: Party = {
    role,
    displayNames: f.strings('displayNames'),
    profileUrls: f.strings('profileUrls'),
    ipCaptureEvents: caps.ips,
    deviceIds: caps.devices,
    priorCTReports: [...f.reportNumbers('priorCTReports'), ...f.reportNumbers('priorCybertipReports', ['priorCybertipReports', 'priorCTReports'])],
    associatedAccounts: f.objects('associatedAccounts').map(associated),
    additionalInfo: [...f.strings('additionalInfo', 'additionalInfo'), ...f.strings('additionalInformations', 'additionalInformations')],
  };
  const person = flatPerson(f);
  if (person) out.person = person;
  const s = (k: 'vehicleDescription' | 'espService' | 'profileBio' | 'schoolName' | 'groupIdentifier', key: string = k): void => {
    const v = f.str(key);
    if (v !== undefined) out[k] = v;
  };
  const b = (k: 'compromisedAccount' | 'thirdPartyUserReported' | 'allEmailsReported', key: string = k): void => {
    const v = f.bool(key);
    if (v !== undefined) out[k] = v;
  };
  s('vehicleDescription');
  const id = f.has('espUserId') || !f.has('espIdentifier') ? f.str('espUserId') : f.str('espIdentifier');
  if (id !== undefined) out.espIdentifier = id;
  s('espService');
  b('compromisedAccount');
  // The first screen name is the party's; NCMEC's screenNames list may hold more.
  const names = [screenName(f), ...f.strings('screenNames', 'screenNames')].filter((n): n is string => n !== undefined);
  if (names.length > 0) out.screenName = names[0]!;
  const more = names.slice(1).filter((n) => n !== names[0]);
  if (more.length > 0) out.moreScreenNames = [...new Set(more)];
  s('profileBio');
  b('thirdPartyUserReported', f.has('thirdPartyUserReported') ? 'thirdPartyUserReported' : 'thirdPartyUser');
  s('schoolName');
  s('groupIdentifier', f.has('groupIdentifier') ? 'groupIdentifier' : 'espGroupId');
  const t = disabled(f, 'accountTemporarilyDisabled');
  if (t) out.accountTemporarilyDisabled = t;
  const p = disabled(f, 'accountPermanentlyDisabled');
  if (p) out.accountPermanentlyDisabled = p;
  const locs = locations(f);
  if (locs.length > 0) out.estimatedLocation = locs[0]!;
  if (locs.length > 1) out.moreEstimatedLocations = locs.slice(1);
  b('allEmailsReported');
  const links = ncmecLinks(f);
  if (links && links.length > 0) out.ncmecLinks = links;
  f.done();
  return out;
}
