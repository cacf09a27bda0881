// What NCMEC adds to an LE JSON document around the ESP's report, onto the canonical Envelope:
// receipt, referral and meme flags, `additionalNcmecInformation` (priority, routed country, tags,
// escalation, associated reports), `automatedInformation` (geo look-ups, auto-refer and
// auto-close notes, external deconfliction), `lawEnforcementContactInformation` and the report's
// HAL links. Bantay's own earlier keys (referral, priority, country, ipLookups) are read too.
// See docs/lejson.md for the mapping; every key not read here is kept verbatim.

import type {
  Envelope,
  ExternalDeconfliction,
  GeoLookup,
  IpLookup,
  LawEnforcementContact,
  NcmecAutoNote,
  NcmecLink,
  NcmecTagGroup,
} from '../../model/report.ts';
import { readCountry } from '../country.ts';
import { Fields, isObject, quoted } from './fields.ts';

/** NCMEC's HAL links under `links` (`{"links": [{rel, href}]}`, or a bare array). */
export function ncmecLinks(f: Fields): NcmecLink[] | undefined {
  if (!f.has('links')) {
    f.raw('links');
    return undefined;
  }
  const out = f.objects('links', 'links').map((l) => {
    const link: NcmecLink = { rel: l.str('rel') ?? '', href: l.str('href') ?? '' };
    l.done();
    return link;
  });
  return out;
}

// A priority code is short ("E", "1"); its meaning is a sentence.
const CODE = /^\s*[A-Za-z0-9]{1,2}\s*$/;

/**
 * NCMEC's priority: `{priorityId, value}` (the code and the meaning NCMEC writes beside it), or
 * the code alone. When the id is not a code but the value is (a numeric database id with "E"
 * beside it), the value is the code and the id is kept verbatim.
 */
function priority(f: Fields, key: string, env: Envelope): void {
  const v = f.o[key];
  if (!isObject(v)) {
    const code = f.str(key);
    if (code !== undefined) env.priority = code;
    return;
  }
  const p = f.obj(key)!;
  const idRaw = p.o['priorityId'];
  const valueRaw = p.o['value'];
  const id = typeof idRaw === 'string' || typeof idRaw === 'number' ? String(idRaw) : undefined;
  const value = typeof valueRaw === 'string' || typeof valueRaw === 'number' ? String(valueRaw) : undefined;
  if (value !== undefined && CODE.test(value) && (id === undefined || !CODE.test(id))) {
    p.str('value');
    env.priority = value;
  } else {
    const code = p.str('priorityId');
    if (code !== undefined) env.priority = code;
    const meaning = p.str('value');
    if (meaning !== undefined && meaning.trim() !== '') env.priorityMeaning = meaning;
  }
  p.done();
}

/** The routed country: an ISO code in `country`, and the name as written in `countryName` when it was one. */
function country(f: Fields, key: string, env: Envelope): void {
  const written = f.str(key);
  if (written === undefined) return;
  const read = readCountry(written);
  if (read.code === undefined && read.name === undefined) {
    // Empty as written: kept so that an empty XML @country and its LE JSON read the same.
    env.country ??= written;
    return;
  }
  if (env.country !== undefined && read.code !== undefined && env.country !== read.code) {
    f.ctx.warn(`${f.at(key)} ${quoted(written)} disagrees with country ${quoted(env.country)}; ${f.at(key)} is used`);
  }
  if (read.code !== undefined) env.country = read.code;
  else f.ctx.warn(`${f.at(key)} ${quoted(written)} names no country Bantay knows; kept as written in countryName`);
  if (read.name !== undefined) env.countryName = read.name;
}

function tagGroups(f: Fields): NcmecTagGroup[] {
  return f.objects('reportTags', ['groups', 'reportTags']).map((g) => {
    const group: NcmecTagGroup = { name: g.firstStr('name', 'groupName') ?? '', tags: g.strings('tags', 'tags', 'value') };
    g.done();
    return group;
  });
}

function additionalNcmecInformation(n: Fields, env: Envelope): void {
  priority(n, 'priority', env);
  country(n, 'internationalCountry', env);
  const tags = tagGroups(n);
  if (tags.length > 0) env.reportTags = tags;
  const reason = n.str('escalationReason');
  if (reason !== undefined) env.escalationReason = reason;
  const associated = n.reportNumbers('associatedCybertipReports', ['associatedCybertipReports', 'reports']);
  if (associated.length > 0) env.associatedCybertipReports = associated;
  n.done();
}

/** One geo look-up: an IP's goes to ipLookups, any other (a phone's) to geoLookups. */
function geoLookup(g: Fields, about: string, env: Envelope): void {
  const place: Pick<IpLookup, 'country' | 'countryName' | 'region' | 'city' | 'postalCode' | 'latitude' | 'longitude'> = {};
  const c = g.str('country');
  if (c !== undefined) {
    const read = readCountry(c);
    place.country = read.code ?? c;
    if (read.name !== undefined) place.countryName = read.name;
  }
  const region = g.firstStr('region', 'state');
  if (region !== undefined) place.region = region;
  const city = g.str('city');
  if (city !== undefined) place.city = city;
  const postal = g.firstStr('postalCode', 'zipCode');
  if (postal !== undefined) place.postalCode = postal;
  const lat = g.num('latitude');
  if (lat !== undefined) place.latitude = lat;
  const lon = g.num('longitude');
  if (lon !== undefined) place.longitude = lon;
  const ip = g.firstStr('ipAddress', 'ip');
  if (ip !== undefined) {
    const l: IpLookup = { ipAddress: ip, ...place, about };
    const isp = g.firstStr('isp', 'esp');
    if (isp !== undefined) l.isp = isp;
    const org = g.str('organization');
    if (org !== undefined) l.organization = org;
    const asn = g.str('asn');
    if (asn !== undefined) l.asn = asn;
    if (g.has('types')) l.types = g.strings('types');
    env.ipLookups.push(l);
  } else {
    const l: GeoLookup = { about };
    const phone = g.firstStr('phoneNumber', 'phone', 'number', 'value');
    if (phone !== undefined) l.phoneNumber = phone;
    Object.assign(l, place);
    const carrier = g.firstStr('carrier', 'provider', 'esp');
    if (carrier !== undefined) l.carrier = carrier;
    (env.geoLookups ??= []).push(l);
  }
  g.done();
}

/** An auto-refer or auto-close note: text, or an object with the note and its time. */
function autoNotes(f: Fields, key: string): NcmecAutoNote[] | undefined {
  if (!f.has(key)) {
    f.raw(key);
    return undefined;
  }
  const out: NcmecAutoNote[] = [];
  for (const e of f.list(key, key)) {
    if (typeof e.value === 'string' || typeof e.value === 'number') {
      out.push({ text: String(e.value) });
      continue;
    }
    if (!isObject(e.value)) {
      f.ctx.unknown.push({ path: e.path, xml: JSON.stringify(e.value) });
      continue;
    }
    const o = new Fields(e.value, e.path, f.ctx);
    const note: NcmecAutoNote = { text: o.firstStr('value', 'note', 'text', 'reason', 'description', 'ruleName', 'rule', 'name') ?? '' };
    const at = o.has('dateTime') ? o.looseDate('dateTime') : o.has('date') ? o.looseDate('date') : o.looseDate('timestamp');
    if (at !== undefined) note.dateTime = at;
    o.done();
    out.push(note);
  }
  return out;
}

function externalDeconfliction(a: Fields): ExternalDeconfliction[] {
  const out: ExternalDeconfliction[] = [];
  for (const e of a.list('externalDeconfliction', ['externalDeconfliction', 'externalDeconflictions', 'results', 'matches'])) {
    if (typeof e.value === 'string') {
      out.push({ text: e.value });
      continue;
    }
    if (!isObject(e.value)) {
      a.ctx.unknown.push({ path: e.path, xml: JSON.stringify(e.value) });
      continue;
    }
    const o = new Fields(e.value, e.path, a.ctx);
    const d: ExternalDeconfliction = {};
    const set = (k: 'agency' | 'caseNumber' | 'contact' | 'text', v: string | undefined): void => {
      if (v !== undefined) d[k] = v;
    };
    set('agency', o.firstStr('agency', 'agencyName'));
    set('caseNumber', o.str('caseNumber'));
    set('contact', o.firstStr('contact', 'officer', 'contactName', 'investigator'));
    const at = o.has('dateTime') ? o.looseDate('dateTime') : o.looseDate('date');
    if (at !== undefined) d.dateTime = at;
    set('text', o.firstStr('value', 'note', 'details', 'description', 'result'));
    o.done();
    out.push(d);
  }
  return out;
}

function automatedInformation(a: Fields, env: Envelope): void {
  const notes = a.obj('autoGeneratedNotes');
  if (notes) {
    const geo = notes.obj('geoLookups');
    if (geo) {
      for (const key of Object.keys(geo.o)) {
        const about = key.replace(/GeoLookups$/, '');
        for (const g of geo.objects(key, key)) geoLookup(g, about, env);
      }
      geo.done();
    }
    for (const g of notes.objects('phoneGeoLookups', 'phoneGeoLookups')) geoLookup(g, 'phone', env);
    const closes = autoNotes(notes, 'autoCloses');
    if (closes && closes.length > 0) env.autoCloses = closes;
    const refers = autoNotes(notes, 'autoRefers');
    if (refers && refers.length > 0) env.autoRefers = refers;
    notes.done();
  }
  const found = externalDeconfliction(a);
  if (found.length > 0) env.externalDeconfliction = found;
  a.done();
}

function lawEnforcementContacts(doc: Fields): LawEnforcementContact[] {
  return doc.objects('lawEnforcementContactInformation', 'lawEnforcementContacts').map((o) => {
    const l: LawEnforcementContact = {};
    const set = (k: 'agency' | 'officer' | 'leaFeedback' | 'referralType', v: string | undefined): void => {
      if (v !== undefined) l[k] = v;
    };
    set('agency', o.firstStr('agency', 'agencyName'));
    set('officer', o.str('officer'));
    const at = o.looseDate('dateTimeMadeAvailable');
    if (at !== undefined) l.madeAvailableAt = at;
    set('leaFeedback', o.str('leaFeedback'));
    set('referralType', o.str('referralType'));
    o.done();
    return l;
  });
}

function ipLookupsOf(doc: Fields): IpLookup[] {
  return doc.objects('ipLookups').map((l) => {
    const ip = l.str('ipAddress');
    if (ip === undefined) l.ctx.warn(`${l.at('ipAddress')} is missing; left empty`);
    const out: IpLookup = { ipAddress: ip ?? '' };
    for (const k of ['country', 'region', 'city', 'isp', 'asn'] as const) {
      const v = l.str(k);
      if (v !== undefined) out[k] = v;
    }
    l.done();
    return out;
  });
}

/** The envelope of a document: NCMEC's additions around the report (see the file comment). */
export function envelopeOf(doc: Fields): Envelope {
  const env: Envelope = { ipLookups: ipLookupsOf(doc) };
  const received = doc.date('dateReceived');
  if (received !== undefined) env.receivedAt = received;
  const referral = doc.bool('referral');
  const informational = doc.bool('informational');
  if (informational !== undefined) {
    env.referral = !informational;
    if (referral !== undefined && referral === informational)
      doc.ctx.warn(`referral ${referral} and informational ${informational} disagree; informational is used`);
  } else if (referral !== undefined) env.referral = referral;
  const meme = doc.bool('potentialMemeReport');
  if (meme !== undefined) env.potentialMemeReport = meme;
  priority(doc, 'priority', env);
  const legacyCountry = doc.str('country');
  if (legacyCountry !== undefined) env.country = legacyCountry;
  const ncmec = doc.obj('additionalNcmecInformation');
  if (ncmec) additionalNcmecInformation(ncmec, env);
  const auto = doc.obj('automatedInformation');
  if (auto) automatedInformation(auto, env);
  const contacts = lawEnforcementContacts(doc);
  if (contacts.length > 0) env.lawEnforcementContacts = contacts;
  const links = ncmecLinks(doc);
  if (links && links.length > 0) env.ncmecLinks = links;
  return env;
}
