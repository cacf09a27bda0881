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
import { Fields } from './fields.ts';

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

/** The person whose fields sit flat on `f`, or undefined when none of them is present. */
export function flatPerson(f: Fields): Person | undefined {
  if (!PERSON_KEYS.some((k) => k in f.o)) return undefined;
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

function deviceId(c: Fields, idType: string): DeviceId {
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
    const type = c.str('captureType');
    if (isIpCapture(type)) {
      ips.push(ipEvent(c));
      ipSources.push(c);
    } else devices.push(deviceId(c, type!));
    c.done();
  }
  return { ips, devices, ipSources };
}

/** The source captures of `f`: under `sourceInformation.sourceCaptures`, or `sourceCaptures` directly. */
export function sourceCaptures(f: Fields): Fields[] {
  const out: Fields[] = [];
  const info = f.obj('sourceInformation');
  if (info) {
    out.push(...info.objects('sourceCaptures'));
    info.done();
  }
  out.push(...f.objects('sourceCaptures'));
  return out;
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

function location(f: Fields): EstimatedLocation | undefined {
  const o = f.obj('estimatedLocation');
  if (!o) return undefined;
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
    priorCTReports: a.strings('priorCTReports'),
  };
  const s = (k: 'platform' | 'firstName' | 'middleName' | 'lastName' | 'espService' | 'screenName' | 'profileBio' | 'groupIdentifier' | 'additionalInfo', key: string = k): void => {
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

/** One reported person, intended recipient or victim. */
export function party(f: Fields, role: PartyRole): Party {
  const caps = captures(sourceCaptures(f));
  const out: Party = {
    role,
    displayNames: f.strings('displayNames'),
    profileUrls: f.strings('profileUrls'),
    ipCaptureEvents: caps.ips,
    deviceIds: caps.devices,
    priorCTReports: f.strings('priorCTReports'),
    associatedAccounts: f.objects('associatedAccounts').map(associated),
    additionalInfo: f.strings('additionalInfo', 'additionalInfo'),
  };
  const person = flatPerson(f);
  if (person) out.person = person;
  const s = (k: 'vehicleDescription' | 'espService' | 'screenName' | 'profileBio' | 'schoolName' | 'groupIdentifier'): void => {
    const v = f.str(k);
    if (v !== undefined) out[k] = v;
  };
  const b = (k: 'compromisedAccount' | 'thirdPartyUserReported' | 'allEmailsReported'): void => {
    const v = f.bool(k);
    if (v !== undefined) out[k] = v;
  };
  s('vehicleDescription');
  const id = f.has('espUserId') || !f.has('espIdentifier') ? f.str('espUserId') : f.str('espIdentifier');
  if (id !== undefined) out.espIdentifier = id;
  s('espService');
  b('compromisedAccount');
  s('screenName');
  s('profileBio');
  b('thirdPartyUserReported');
  s('schoolName');
  s('groupIdentifier');
  const t = disabled(f, 'accountTemporarilyDisabled');
  if (t) out.accountTemporarilyDisabled = t;
  const p = disabled(f, 'accountPermanentlyDisabled');
  if (p) out.accountPermanentlyDisabled = p;
  const loc = location(f);
  if (loc) out.estimatedLocation = loc;
  b('allEmailsReported');
  f.done();
  return out;
}
