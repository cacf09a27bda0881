// Mapping the parties of a report (personOrUserReported, intendedRecipient, victim) and what
// hangs off them: disabled-account flags, estimated location, associated accounts.

import type { AccountDisabled, AssociatedAccount, EstimatedLocation, Party, PartyRole } from '../../model/report.ts';
import { address, attr, device, email, first, indexed, ipEvent, otherAttrs, person, phone, required, setBool } from './map-common.ts';
import { MapContext, quote, shown } from './map-context.ts';
import { checkDate, dateOf, intOf, isNamespaceAttr, leaf, normalizeReportNumber, parseBool } from './values.ts';
import { NONE, type XmlNode } from './xml-node.ts';

function disabled(n: XmlNode, parent: string, ctx: MapContext, temporary: boolean): AccountDisabled {
  const path = `${parent}/${n.name}`;
  const d: AccountDisabled = {};
  const value = leaf(n, parent, ctx, true);
  // An empty element still says "disabled" through its attributes; only a written value is parsed.
  if (value.trim() !== '') {
    const b = parseBool(value, path, ctx);
    if (b !== undefined) d.disabled = b;
  }
  for (const key in n.attrs ?? NONE) {
    const v = n.attrs?.[key] ?? '';
    switch (key) {
      case 'disabledDate': {
        const x = checkDate(v, `${path}/@disabledDate`, ctx);
        if (x !== undefined) d.disabledDate = x;
        break;
      }
      case 'userNotified': {
        const x = parseBool(v, `${path}/@userNotified`, ctx);
        if (x !== undefined) d.userNotified = x;
        break;
      }
      case 'userNotifiedDate': {
        const x = checkDate(v, `${path}/@userNotifiedDate`, ctx);
        if (x !== undefined) d.userNotifiedDate = x;
        break;
      }
      case 'reenabledDate':
        if (temporary) {
          const x = checkDate(v, `${path}/@reenabledDate`, ctx);
          if (x !== undefined) d.reenabledDate = x;
        } else ctx.keepAttr(path, key, v);
        break;
      default:
        if (!isNamespaceAttr(key)) ctx.keepAttr(path, key, v);
    }
  }
  return d;
}

function estimatedLocation(n: XmlNode, parent: string, ctx: MapContext): EstimatedLocation {
  const path = `${parent}/${n.name}`;
  const loc: EstimatedLocation = {};
  for (const key in n.attrs ?? NONE) {
    const v = n.attrs?.[key] ?? '';
    switch (key) {
      case 'verified': {
        const x = parseBool(v, `${path}/@verified`, ctx);
        if (x !== undefined) loc.verified = x;
        break;
      }
      case 'timestamp': {
        const x = checkDate(v, `${path}/@timestamp`, ctx);
        if (x !== undefined) loc.timestamp = x;
        break;
      }
      default:
        if (!isNamespaceAttr(key)) ctx.keepAttr(path, key, v);
    }
  }
  for (const c of n.children) {
    switch (c.name) {
      case 'city':
        if (first(loc.city, c, path, ctx)) loc.city = leaf(c, path, ctx);
        break;
      case 'region':
        if (first(loc.region, c, path, ctx)) loc.region = leaf(c, path, ctx);
        break;
      case 'countryCode':
        if (first(loc.countryCode, c, path, ctx)) loc.countryCode = leaf(c, path, ctx);
        break;
      default:
        ctx.keep(path, c);
    }
  }
  return loc;
}

function associatedAccount(n: XmlNode, path: string, ctx: MapContext): AssociatedAccount {
  otherAttrs(n, path, ctx, ['type']);
  const a: AssociatedAccount = {
    type: required(attr(n, 'type'), `${path}/@type`, ctx),
    phones: [],
    emails: [],
    addresses: [],
    profileUrls: [],
    displayNames: [],
    ipCaptureEvents: [],
    deviceIds: [],
    priorCTReports: [],
  };
  for (const c of n.children) {
    switch (c.name) {
      case 'platform':
        if (first(a.platform, c, path, ctx)) {
          a.platform = leaf(c, path, ctx, true);
          for (const key in c.attrs ?? NONE) {
            const v = c.attrs?.[key] ?? '';
            if (key === 'thirdPartyUser') {
              const x = parseBool(v, `${path}/platform/@thirdPartyUser`, ctx);
              if (x !== undefined) a.thirdPartyUser = x;
            } else if (!isNamespaceAttr(key)) ctx.keepAttr(`${path}/platform`, key, v);
          }
        }
        break;
      case 'firstName':
        if (first(a.firstName, c, path, ctx)) a.firstName = leaf(c, path, ctx);
        break;
      case 'middleName':
        if (first(a.middleName, c, path, ctx)) a.middleName = leaf(c, path, ctx);
        break;
      case 'lastName':
        if (first(a.lastName, c, path, ctx)) a.lastName = leaf(c, path, ctx);
        break;
      case 'approximateAge':
        if (first(a.approximateAge, c, path, ctx)) {
          const v = intOf(c, path, ctx);
          if (v !== undefined) a.approximateAge = v;
        }
        break;
      case 'dateOfBirth':
        if (first(a.dateOfBirth, c, path, ctx)) {
          const v = dateOf(c, path, ctx);
          if (v !== undefined) a.dateOfBirth = v;
        }
        break;
      case 'phone':
        a.phones.push(phone(c, indexed(path, 'phone', a.phones.length), ctx));
        break;
      case 'email':
        a.emails.push(email(c, indexed(path, 'email', a.emails.length), ctx));
        break;
      case 'allEmailsReported':
        setBool(a, 'allEmailsReported', c, path, ctx);
        break;
      case 'address':
        a.addresses.push(address(c, indexed(path, 'address', a.addresses.length), ctx));
        break;
      case 'espService':
        if (first(a.espService, c, path, ctx)) a.espService = leaf(c, path, ctx);
        break;
      case 'espIdentifier':
        if (first(a.espIdentifier, c, path, ctx)) a.espIdentifier = leaf(c, path, ctx);
        break;
      case 'profileUrl':
        a.profileUrls.push(leaf(c, path, ctx));
        break;
      case 'screenName':
        if (first(a.screenName, c, path, ctx)) a.screenName = leaf(c, path, ctx);
        break;
      case 'displayName':
        a.displayNames.push(leaf(c, path, ctx));
        break;
      case 'profileBio':
        if (first(a.profileBio, c, path, ctx)) a.profileBio = leaf(c, path, ctx);
        break;
      case 'groupIdentifier':
        if (first(a.groupIdentifier, c, path, ctx)) a.groupIdentifier = leaf(c, path, ctx);
        break;
      case 'compromisedAccount':
        setBool(a, 'compromisedAccount', c, path, ctx);
        break;
      case 'accountTemporarilyDisabled':
        if (first(a.accountTemporarilyDisabled, c, path, ctx)) a.accountTemporarilyDisabled = disabled(c, path, ctx, true);
        break;
      case 'accountPermanentlyDisabled':
        if (first(a.accountPermanentlyDisabled, c, path, ctx)) a.accountPermanentlyDisabled = disabled(c, path, ctx, false);
        break;
      case 'ipCaptureEvent':
        a.ipCaptureEvents.push(ipEvent(c, indexed(path, 'ipCaptureEvent', a.ipCaptureEvents.length), ctx));
        break;
      case 'deviceId':
        a.deviceIds.push(device(c, indexed(path, 'deviceId', a.deviceIds.length), ctx));
        break;
      case 'priorCTReport':
        a.priorCTReports.push(priorReport(c, path, ctx));
        break;
      case 'additionalInfo':
        if (first(a.additionalInfo, c, path, ctx)) a.additionalInfo = leaf(c, path, ctx);
        break;
      default:
        ctx.keep(path, c);
    }
  }
  return a;
}

/** A prior CyberTip report number, normalised when it is one, else kept as written with a warning. */
export function priorReport(c: XmlNode, parent: string, ctx: MapContext): string {
  const raw = leaf(c, parent, ctx);
  const id = normalizeReportNumber(raw);
  if (id === null) {
    ctx.warn(`${shown(`${parent}/${c.name}`)} ${quote(raw)} is not a report number; kept as written`);
    return raw;
  }
  return id;
}

const PERSON_ELEMENT: Record<PartyRole, string> = {
  reported: 'personOrUserReportedPerson',
  recipient: 'intendedRecipientPerson',
  victim: 'victimPerson',
};

/** Maps a personOrUserReported, intendedRecipient or victim element at `path`. */
export function party(n: XmlNode, path: string, role: PartyRole, ctx: MapContext): Party {
  otherAttrs(n, path, ctx, []);
  const p: Party = {
    role,
    displayNames: [],
    profileUrls: [],
    ipCaptureEvents: [],
    deviceIds: [],
    priorCTReports: [],
    associatedAccounts: [],
    additionalInfo: [],
  };
  const personName = PERSON_ELEMENT[role];
  for (const c of n.children) {
    switch (c.name) {
      case personName:
        if (first(p.person, c, path, ctx)) p.person = person(c, `${path}/${c.name}`, ctx, true);
        break;
      case 'vehicleDescription':
        if (role !== 'reported') ctx.keep(path, c);
        else if (first(p.vehicleDescription, c, path, ctx)) p.vehicleDescription = leaf(c, path, ctx);
        break;
      case 'espIdentifier':
        if (first(p.espIdentifier, c, path, ctx)) p.espIdentifier = leaf(c, path, ctx);
        break;
      case 'espService':
        if (first(p.espService, c, path, ctx)) p.espService = leaf(c, path, ctx);
        break;
      case 'compromisedAccount':
        setBool(p, 'compromisedAccount', c, path, ctx);
        break;
      case 'screenName':
        if (first(p.screenName, c, path, ctx)) p.screenName = leaf(c, path, ctx);
        break;
      case 'displayName':
        p.displayNames.push(leaf(c, path, ctx));
        break;
      case 'profileUrl':
        p.profileUrls.push(leaf(c, path, ctx));
        break;
      case 'profileBio':
        if (first(p.profileBio, c, path, ctx)) p.profileBio = leaf(c, path, ctx);
        break;
      case 'ipCaptureEvent':
        p.ipCaptureEvents.push(ipEvent(c, indexed(path, 'ipCaptureEvent', p.ipCaptureEvents.length), ctx));
        break;
      case 'deviceId':
        p.deviceIds.push(device(c, indexed(path, 'deviceId', p.deviceIds.length), ctx));
        break;
      case 'thirdPartyUserReported':
        if (role !== 'reported') ctx.keep(path, c);
        else setBool(p, 'thirdPartyUserReported', c, path, ctx);
        break;
      case 'schoolName':
        if (role !== 'victim') ctx.keep(path, c);
        else if (first(p.schoolName, c, path, ctx)) p.schoolName = leaf(c, path, ctx);
        break;
      case 'priorCTReports':
        p.priorCTReports.push(priorReport(c, path, ctx));
        break;
      case 'groupIdentifier':
        if (role === 'victim') ctx.keep(path, c);
        else if (first(p.groupIdentifier, c, path, ctx)) p.groupIdentifier = leaf(c, path, ctx);
        break;
      case 'accountTemporarilyDisabled':
        if (first(p.accountTemporarilyDisabled, c, path, ctx)) p.accountTemporarilyDisabled = disabled(c, path, ctx, true);
        break;
      case 'accountPermanentlyDisabled':
        if (first(p.accountPermanentlyDisabled, c, path, ctx)) p.accountPermanentlyDisabled = disabled(c, path, ctx, false);
        break;
      case 'estimatedLocation':
        if (first(p.estimatedLocation, c, path, ctx)) p.estimatedLocation = estimatedLocation(c, path, ctx);
        break;
      case 'allEmailsReported':
        setBool(p, 'allEmailsReported', c, path, ctx);
        break;
      case 'associatedAccount':
        if (role === 'recipient') ctx.keep(path, c);
        else p.associatedAccounts.push(associatedAccount(c, indexed(path, 'associatedAccount', p.associatedAccounts.length), ctx));
        break;
      case 'additionalInfo':
        if (role === 'recipient' || p.additionalInfo.length === 0) p.additionalInfo.push(leaf(c, path, ctx));
        else ctx.duplicate(path, c);
        break;
      default:
        ctx.keep(path, c);
    }
  }
  return p;
}
