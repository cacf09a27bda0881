// Planted ground truth (domain.md §12.2): offenders seen across reports and platforms under
// differently written identifiers, livestream facilitator clusters, sextortion cases, imminent
// danger, new material of very young victims, and the traps that fool naive linking (§7).
import type { Ctx } from './context.ts';
import { espProfile } from './data/esps.ts';
import { LURE_NAMES, SCHOOLS } from './data/names.ts';
import { ESCALATION, LIVESTREAM_CHAT, LIVESTREAM_INFO, SEXTORTION_CHAT, SEXTORTION_ESCALATION, SEXTORTION_INFO } from './data/text.ts';
import { EMPTY_HASHES, uniqueHashes } from './hashes.ts';
import type { IpAddr } from './ips.ts';
import type { IncidentType } from './params.ts';
import { canonicalEmail, emailVariant, handleVariant, newDevice, newEspId, newHandle, newPersona, type Device, type Persona } from './people.ts';
import { formatForeign, formatPh } from './phones.ts';
import type { SpikeParam } from './params.ts';
import { backgroundAccount, buildBackground, childVictim, Clock, Draft, envelope, fileSpec, intendedChild, ordinaryFiles, summary } from './reports.ts';
import { Rng, WeightedTable } from './rng.ts';
import { account, person, type AccountSpec, type PhoneSpec } from './spec.ts';
import { DAY, HOUR, MINUTE, isoUtc } from './time.ts';
import type { Category, SubjectTruth, Truth, TrapType } from './truth.ts';

const CSAM: IncidentType = 'Child Pornography (possession, manufacture, and distribution)';
const ENTICEMENT: IncidentType = 'Online Enticement of Children for Sexual Acts';
const TRAFFICKING: IncidentType = 'Child Sex Trafficking';

/** A shared login seen by two reports: same address, same port, seconds apart. */
interface SharedEvent {
  addr: IpAddr;
  port: number;
  at: number;
  canonical: string;
}

/** One planned report of a subject. */
export interface PlannedReport {
  t: number;
  category: Category;
  esp: string;
  informational: boolean;
  phone: boolean;
  email: boolean;
  device: boolean;
  shared?: SharedEvent;
  /** Offset (s) of this report's copy of the shared event from its first sighting. */
  sharedLag: number;
}

/** An account of a subject on one ESP. */
interface Account {
  id: string;
  handle: string;
}

interface SubjectBase {
  subject: SubjectTruth;
  persona: Persona;
  accounts: Map<string, Account>;
  device?: Device;
  fixedAddr?: IpAddr;
  anonymised: boolean;
  reports: PlannedReport[];
  earlier: { esp: string; id: string }[];
}

/** An offender seen across reports (also used for single imminent / new-material subjects). */
export interface OffenderPlan extends SubjectBase {
  kind: 'offender';
}

/** A livestream facilitator with the children in her care and the foreigners who pay her. */
export interface FacilitatorPlan extends SubjectBase {
  kind: 'facilitator';
  victims: { first: string; age: number }[];
  payers: Persona[];
  payerAccounts: Map<string, Account>;
}

/** A sextortion offender, the boy he extorts, and where the money goes. */
export interface SextortionPlan extends SubjectBase {
  kind: 'sextortion';
  lure: string;
  victim: Persona;
  victimHandle: string;
  /** Where the victim is told to pay: an e-wallet (the offender's mobile) or a crypto address. */
  wallet: { canonical: string; crypto: boolean };
}

/** A planted plan of any kind. */
export type Plan = OffenderPlan | FacilitatorPlan | SextortionPlan;

/** One trap report: an ordinary report carrying a value shared with unrelated reports. */
export interface TrapPlan {
  kind: 'trap';
  type: TrapType;
  value: string;
  t: number;
}

/** What fills a slot of the stream apart from a world's plants: a background category or a planted report (the whole union is `Slot` in plan.ts). */
export type PlantSlot =
  | { t: number; category: Category; referral: boolean; plan?: undefined; trap?: undefined; world?: undefined; index: number; spike?: SpikeParam }
  | { t: number; category: Category; referral: boolean; plan: Plan; trap?: undefined; world?: undefined; index: number; spike?: undefined }
  | { t: number; category: Category; referral: boolean; plan?: undefined; trap: TrapPlan; world?: undefined; index: number; spike?: undefined };

/** Placeholder values that ESPs write when a field is unknown (domain.md §7.1). */
export const PLACEHOLDERS = ['N/A', 'unknown', 'none', 'test@test.com', '0000000000', '09000000000'] as const;

/** Role and no-reply addresses that many unrelated accounts list. */
export const HUB_EMAILS = ['noreply@gmail.com', 'no-reply@accounts.google.com', 'admin@yahoo.com', 'noreply@facebookmail.com'] as const;

/** Plants of a rate per 10,000 reports; at least one once the stream has `min` reports. */
export function plantCount(per10k: number, reports: number, min: number): number {
  const n = Math.round((per10k * reports) / 10000);
  return reports >= min ? Math.max(1, n) : n;
}

/** `n` times from a random start, `medianGap` apart (log-normal), kept inside the stream. */
export function spreadTimes(rng: Rng, ctx: Ctx, n: number, medianGap: number): number[] {
  const span = ctx.end - ctx.start;
  const t0 = ctx.start + rng.float() * span * 0.7;
  const ts = [t0];
  for (let i = 1; i < n; i++) ts.push(ts[i - 1]! + Math.max(HOUR, rng.logNormal(medianGap, 0.8)));
  const last = ts[ts.length - 1]!;
  const limit = ctx.end - HOUR;
  if (last > limit) {
    const k = (limit - t0) / Math.max(1, last - t0);
    for (let i = 0; i < ts.length; i++) ts[i] = t0 + (ts[i]! - t0) * k;
  }
  return ts.map((t) => Math.floor(t / 1000) * 1000);
}

/** Up to `n` different ESPs drawn from a table. */
export function distinctEsps(rng: Rng, table: WeightedTable<string>, n: number): string[] {
  const out: string[] = [];
  for (let tries = 0; out.length < n && tries < 200; tries++) {
    const e = table.draw(rng);
    if (!out.includes(e)) out.push(e);
  }
  return out;
}

/** The account-system key truth uses for an ESP's user ids (`facebook`, `biglive`...). */
export function espKey(esp: string): string {
  return esp.toLowerCase().replace(/[^a-z0-9]/g, '');
}

function accountFor(rng: Rng, ctx: Ctx, base: SubjectBase, esp: string): Account {
  let a = base.accounts.get(esp);
  if (!a) {
    // Offenders often reuse one handle across platforms (a medium-strength key, domain.md §7.1).
    const handle = base.accounts.size === 0 || rng.chance(0.5) ? base.persona.handle : newHandle(rng, ctx, base.persona.first, base.persona.last);
    a = { id: newEspId(rng, ctx, esp, handle), handle };
    base.accounts.set(esp, a);
  }
  return a;
}

function planReports(rng: Rng, base: SubjectBase, times: number[], esps: string[], category: Category, infoShare: number): void {
  const hasDevice = base.device !== undefined;
  for (let i = 0; i < times.length; i++) {
    let phone = rng.chance(0.6);
    let email = rng.chance(0.55);
    let device = hasDevice && rng.chance(0.5);
    if (!phone && !email && !device) {
      const k = rng.int(0, hasDevice ? 2 : 1);
      if (k === 0) phone = true;
      else if (k === 1) email = true;
      else device = true;
    }
    base.reports.push({ t: times[i]!, category, esp: esps[i % esps.length]!, informational: rng.chance(infoShare), phone, email, device, sharedLag: 0 });
  }
}

function addSharedEvent(rng: Rng, ctx: Ctx, base: SubjectBase): void {
  const r = base.reports;
  for (let i = 1; i < r.length; i++) {
    const a = r[i - 1]!;
    const b = r[i]!;
    if (a.esp === b.esp || a.shared || b.shared) continue;
    const addr = rng.pick(ctx.ips.cgnat);
    const at = Math.floor((a.t - rng.int(1, 72) * HOUR) / 1000) * 1000;
    const port = rng.int(1024, 65535);
    const shared: SharedEvent = { addr, port, at, canonical: `${addr.ip}|${port}|${isoUtc(at)}` };
    a.shared = shared;
    b.shared = shared;
    b.sharedLag = rng.int(0, 5);
    return;
  }
}

function subjectBase(rng: Rng, ctx: Ctx, subject: SubjectTruth, persona: Persona): SubjectBase {
  return {
    subject,
    persona,
    accounts: new Map(),
    device: rng.chance(0.6) ? newDevice(rng, ctx) : undefined,
    fixedAddr: persona.mobileUser || !persona.province ? undefined : ctx.ips.fixed(rng, persona.province),
    anonymised: rng.chance(ctx.p.ip.offenderAnonymisedShare),
    reports: [],
    earlier: [],
  };
}

/** A payer's age: mode 58, 27–82 (AIC). */
export function payerAge(rng: Rng): number {
  return Math.max(27, Math.min(82, Math.round(58 + 9 * rng.normal())));
}

/** All plans of a run and the slots they fill. */
export interface PlantPlan {
  plans: Plan[];
  traps: TrapPlan[];
  slots: PlantSlot[];
}

/** Plans every plant of a run of `reports` reports; subject ids are assigned in planning order. */
export function planPlants(rng: Rng, ctx: Ctx, truth: Truth, reports: number): PlantPlan {
  const pp = ctx.p.plants;
  const min = pp.minReportsForEveryPlant;
  const plans: Plan[] = [];
  const slots: PlantSlot[] = [];
  const span = ctx.end - ctx.start;

  // Offenders across reports and platforms.
  const offenders: OffenderPlan[] = [];
  for (let i = 0; i < plantCount(pp.offendersPer10k, reports, min); i++) {
    const persona = newPersona(rng, ctx, { country: 'PH', sex: rng.chance(0.85) ? 'M' : 'F', minAge: 19, maxAge: 62 });
    const base = subjectBase(rng, ctx, truth.newSubject('offender'), persona);
    const n = rng.int(pp.offenderReportsMin, Math.max(pp.offenderReportsMin, pp.offenderReportsMax));
    const esps = distinctEsps(rng, ctx.esp, Math.min(n, rng.int(2, 3)));
    planReports(rng, base, spreadTimes(rng, ctx, n, 2 * DAY), esps, 'offender', 0.1);
    if (rng.chance(0.6)) addSharedEvent(rng, ctx, base);
    const plan: OffenderPlan = { kind: 'offender', ...base };
    offenders.push(plan);
    plans.push(plan);
  }

  // Livestream facilitator clusters, with their payers.
  const liveEsps = new WeightedTable(
    Object.fromEntries(
      Object.entries({ Facebook: 50, Instagram: 12, WhatsApp: 10, Microsoft: 8, Telegram: 6, Kumu: 5, 'Bigo Live': 5, Snapchat: 4 }).filter(
        ([k]) => (ctx.p.esps.mix[k] ?? 0) > 0,
      ),
    ) as Record<string, number>,
  );
  const senderCountries = new WeightedTable(ctx.p.payments.senderCountryMix);
  const allPayers: Persona[] = [];
  let liveReports = 0;
  for (let i = 0; i < plantCount(pp.livestreamClustersPer10k, reports, min); i++) {
    const female = rng.chance(pp.femaleRelativeShare);
    const persona = newPersona(rng, ctx, { country: 'PH', sex: female ? 'F' : rng.chance(0.5) ? 'M' : 'F', minAge: 24, maxAge: 55 });
    const base = subjectBase(rng, ctx, truth.newSubject('facilitator'), persona);
    const nVictims = Math.min(pp.livestreamVictimsMax, Math.max(1, 1 + Math.floor(rng.float() * rng.float() * pp.livestreamVictimsMax)));
    const victims: { first: string; age: number }[] = [];
    for (let v = 0; v < nVictims; v++) {
      const age = rng.chance(pp.infantShare) ? rng.int(0, 2) : rng.chance(0.8) ? rng.int(3, 12) : rng.int(13, 17);
      victims.push({ first: newPersona(rng, ctx, { country: 'PH', minAge: age, maxAge: age, child: true }).first, age });
    }
    const nPayers = pp.payersMin + Math.floor(rng.float() * rng.float() * (pp.payersMax - pp.payersMin + 1));
    const payers: Persona[] = [];
    for (let k = 0; k < nPayers; k++) {
      const reuse = allPayers.length > 0 && rng.chance(ctx.p.payments.fanOutShare) ? rng.pick(allPayers) : undefined;
      if (reuse && !payers.includes(reuse)) {
        payers.push(reuse);
        continue;
      }
      const country = senderCountries.draw(rng);
      const payer = newPersona(rng, ctx, { country, sex: 'M', minAge: 27, maxAge: 82 });
      payer.age = payerAge(rng);
      payers.push(payer);
      allPayers.push(payer);
    }
    const n = rng.int(pp.livestreamReportsMin, Math.max(pp.livestreamReportsMin, pp.livestreamReportsMax));
    const esps = distinctEsps(rng, liveEsps.keys.length > 0 ? liveEsps : ctx.esp, Math.min(n, rng.int(1, 3)));
    planReports(rng, base, spreadTimes(rng, ctx, n, 3 * DAY), esps, 'livestream', 0);
    for (const r of base.reports) r.phone = r.phone || rng.chance(0.5);
    const plan: FacilitatorPlan = { kind: 'facilitator', ...base, victims, payers, payerAccounts: new Map() };
    plans.push(plan);
    liveReports += n;
  }

  // Sextortion: a teenage boy, an offender in NG, CI or PH, a few hours.
  const sxCountries = new WeightedTable(pp.sextortionOffenderCountries);
  const sxEsps = new WeightedTable(
    Object.fromEntries(
      Object.entries({ Instagram: 50, Snapchat: 25, Facebook: 15, TikTok: 5, Discord: 5 }).filter(([k]) => (ctx.p.esps.mix[k] ?? 0) > 0),
    ) as Record<string, number>,
  );
  let sxReports = 0;
  for (let i = 0; i < plantCount(pp.sextortionCasesPer10k, reports, min); i++) {
    const country = sxCountries.draw(rng);
    const persona = newPersona(rng, ctx, { country, sex: 'M', minAge: 18, maxAge: 34 });
    const base = subjectBase(rng, ctx, truth.newSubject('sextortion-offender'), persona);
    base.device = undefined;
    if (country !== 'PH') base.fixedAddr = ctx.ips.foreign(rng, country);
    const lure = rng.pick(LURE_NAMES);
    persona.handle = newHandle(rng, ctx, lure.split(' ')[0]!, lure.split(' ')[1]!);
    const victimCountry = country === 'PH' && rng.chance(0.6) ? 'US' : 'PH';
    const victim = newPersona(rng, ctx, { country: victimCountry, sex: 'M', minAge: 13, maxAge: 17, child: true });
    const n = rng.int(1, Math.max(1, pp.sextortionReportsMax));
    const t0 = ctx.start + rng.float() * Math.max(HOUR, span - 10 * HOUR);
    const times = [t0];
    for (let k = 1; k < n; k++) times.push(t0 + rng.float() * 8 * HOUR + 20 * MINUTE);
    times.sort((a, b) => a - b);
    const esps = distinctEsps(rng, sxEsps.keys.length > 0 ? sxEsps : ctx.esp, Math.min(n, rng.int(1, 2)));
    for (let k = 0; k < n; k++) {
      base.reports.push({
        t: Math.floor(times[k]! / 1000) * 1000,
        category: 'sextortion',
        esp: esps[k % esps.length]!,
        informational: false,
        phone: rng.chance(0.3),
        email: rng.chance(0.2),
        device: false,
        sharedLag: 0,
      });
    }
    const crypto = country !== 'PH';
    const wallet = crypto ? { canonical: `T${base58(rng, 33)}`, crypto } : { canonical: persona.phone, crypto };
    plans.push({ kind: 'sextortion', ...base, lure, victim, victimHandle: newHandle(rng, ctx, victim.first, victim.last), wallet });
    sxReports += n;
  }

  // Imminent danger and new material fill what is left of the urgent budget.
  if (reports >= min || ctx.p.urgentShare * reports >= 1) {
    const rest = Math.round(ctx.p.urgentShare * reports) - liveReports - sxReports;
    const imminent = Math.max(reports >= min ? 1 : 0, Math.round(Math.max(0, rest) * pp.imminentShareOfRest));
    const fresh = Math.max(reports >= min ? 1 : 0, Math.max(0, rest) - imminent);
    for (let i = 0; i < imminent; i++) {
      const host = offenders.length > 0 && rng.chance(pp.imminentExistingOffenderShare) ? rng.pick(offenders) : undefined;
      if (host && host.reports.every((r) => r.category !== 'imminent')) {
        const last = host.reports[host.reports.length - 1]!;
        const t = Math.min(ctx.end - MINUTE, last.t + rng.int(2, 48) * HOUR);
        host.reports.push({
          ...last,
          t: Math.floor(t / 1000) * 1000,
          category: 'imminent',
          informational: false,
          shared: undefined,
          sharedLag: 0,
          phone: true,
        });
        continue;
      }
      plans.push(singleReportPlan(rng, ctx, truth, 'imminent'));
    }
    for (let i = 0; i < fresh; i++) plans.push(singleReportPlan(rng, ctx, truth, 'new-material'));
  }

  for (const plan of plans) {
    plan.reports.sort((a, b) => a.t - b.t);
    plan.reports.forEach((r, i) => slots.push({ t: r.t, category: r.category, referral: !r.informational, plan, index: i }));
  }

  // Traps: values shared by unrelated reports.
  const traps: TrapPlan[] = [];
  const addTraps = (type: TrapType, per10k: number, values: readonly string[]): void => {
    const n = reports >= min ? Math.max(3, Math.round((per10k * reports) / 10000)) : Math.round((per10k * reports) / 10000);
    // Few reports: use fewer distinct values so that each one is still shared.
    const usable = values.slice(0, Math.max(1, Math.min(values.length, Math.floor(n / 3))));
    for (let i = 0; i < n; i++)
      traps.push({ kind: 'trap', type, value: usable[i % usable.length]!, t: ctx.start + Math.floor((rng.float() * span) / 1000) * 1000 });
  };
  addTraps('empty-file-hash', pp.emptyHashPer10k, [EMPTY_HASHES.md5]);
  addTraps('placeholder', pp.placeholderPer10k, PLACEHOLDERS);
  addTraps('hub-email', pp.hubEmailPer10k, HUB_EMAILS);
  addTraps(
    'vpn-ip',
    pp.vpnIpPer10k,
    ctx.ips.vpn.slice(0, 4).map((a) => a.ip),
  );
  addTraps('public-dns-ip', pp.publicDnsPer10k, ['8.8.8.8', '1.1.1.1', '8.8.4.4']);
  for (const trap of traps) slots.push({ t: trap.t, category: 'trap', referral: true, trap, index: 0 });
  return { plans, traps, slots };
}

const BASE58 = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';

/** `n` random base58 characters (crypto addresses). */
export function base58(rng: Rng, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += BASE58[rng.int(0, 57)];
  return s;
}

function singleReportPlan(rng: Rng, ctx: Ctx, truth: Truth, category: 'imminent' | 'new-material'): OffenderPlan {
  const persona = newPersona(rng, ctx, { country: 'PH', sex: rng.chance(0.8) ? 'M' : 'F', minAge: 19, maxAge: 60 });
  const base = subjectBase(rng, ctx, truth.newSubject('offender'), persona);
  const t = ctx.start + Math.floor((rng.float() * (ctx.end - ctx.start)) / 1000) * 1000;
  base.reports.push({
    t,
    category,
    esp: ctx.esp.draw(rng),
    informational: false,
    phone: rng.chance(0.6),
    email: rng.chance(0.5),
    device: base.device !== undefined && rng.chance(0.5),
    sharedLag: 0,
  });
  return { kind: 'offender', ...base };
}

// ---------------------------------------------------------------------------------------------
// Building planted reports. Every identifier written goes through SubjectTruth.note at the moment
// it is put into the spec, so truth lists exactly the forms that appear in the file.

function phoneSpec(rng: Rng, ctx: Ctx, subject: SubjectTruth, e164: string): PhoneSpec {
  const fmt = ctx.phoneFormat.draw(rng);
  const text = formatPh(e164, fmt);
  subject.note('phone', e164, text);
  return {
    text,
    type: 'Mobile',
    verified: rng.chance(0.5) ? rng.chance(ctx.p.phones.verifiedShare) : undefined,
    countryCallingCode: fmt === 'national' || rng.chance(ctx.p.phones.countryCallingCodeShare) ? '+63' : undefined,
  };
}

function subjectAccount(
  rng: Rng,
  ctx: Ctx,
  d: Draft,
  plan: SubjectBase,
  pr: PlannedReport,
  opts: { display?: string; phone?: boolean; eventDays?: number } = {},
): AccountSpec {
  const s = plan.subject;
  const persona = plan.persona;
  const acct = accountFor(rng, ctx, plan, pr.esp);
  const a = account();
  const p = person();
  if (rng.chance(0.45)) {
    p.firstName = persona.first;
    p.lastName = persona.last;
  }
  if (opts.phone ?? pr.phone) {
    if (persona.country === 'PH') p.phones.push(phoneSpec(rng, ctx, s, persona.phone));
    else {
      const text = formatForeign(persona.phone, rng);
      s.note('phone', persona.phone, text);
      p.phones.push({ text, type: 'Mobile' });
    }
  }
  if (pr.email) {
    const text = emailVariant(rng, persona.email);
    s.note('email', canonicalEmail(persona.email), text);
    p.emails.push({ text, verified: rng.chance(0.5) ? rng.chance(0.7) : undefined });
  }
  if (p.firstName || p.phones.length || p.emails.length) a.person = p;
  const key = espKey(pr.esp);
  if (rng.chance(0.92)) {
    a.espIdentifier = acct.id;
    s.note('esp-user-id', `${key}:${acct.id}`, acct.id);
  }
  if (rng.chance(0.85)) a.espService = pr.esp;
  if (rng.chance(0.75) || !a.espIdentifier) {
    const text = handleVariant(rng, acct.handle);
    s.note('screen-name', acct.handle, text);
    a.screenName = text;
  }
  if (opts.display ?? rng.chance(0.5)) a.displayName = opts.display ?? `${persona.first} ${persona.last}`;
  const prof = espProfile(pr.esp);
  if (prof.profileUrl && rng.chance(0.3)) a.profileUrl = `${prof.profileUrl}${prof.idStyle === 'meta' ? acct.id : acct.handle}`;
  // Home events: the subject's own line or the shared CGNAT pool, sometimes an anonymiser.
  const n = rng.int(1, 3);
  for (let i = 0; i < n; i++) {
    const when = d.clock.before(rng, opts.eventDays ?? 7);
    // 1 in 6 offenders use anonymisers; together they make up the configured share of offender events.
    const viaAnonymiser = Math.min(1, ctx.p.ip.offenderAnonymisedEventShare / Math.max(1e-9, ctx.p.ip.offenderAnonymisedShare));
    if (plan.anonymised && rng.chance(viaAnonymiser)) {
      a.ipEvents.push(d.event(rng, ctx, rng.chance(0.7) ? ctx.ips.vpnAddr(rng) : ctx.ips.relayAddr(rng), when));
    } else if (plan.fixedAddr) {
      const e = d.event(rng, ctx, plan.fixedAddr, when);
      s.note('ip', plan.fixedAddr.ip, plan.fixedAddr.ip);
      a.ipEvents.push(e);
    } else {
      a.ipEvents.push(d.event(rng, ctx, ctx.ips.mobile(rng), when));
    }
  }
  if (pr.shared) {
    const sh = pr.shared;
    d.addrs.push(sh.addr);
    const at = sh.at + pr.sharedLag * 1000;
    const written = d.clock.fmt(at);
    a.ipEvents.push({ ip: sh.addr.ip, eventName: 'Login', dateTime: written, port: sh.port });
    s.note('ip-port-time', sh.canonical, `${sh.addr.ip}|${sh.port}|${written}`);
  }
  if (pr.device && plan.device) {
    const form = rng.pick(plan.device.forms);
    s.note('device-id', plan.device.canonical, form);
    a.devices.push({
      idType: plan.device.idType,
      idValue: form,
      eventName: rng.chance(0.5) ? 'Login' : undefined,
      dateTime: rng.chance(0.5) ? d.clock.fmt(d.clock.before(rng, 3)) : undefined,
    });
  }
  // ESPs cite their own earlier reports on the same account.
  for (const e of plan.earlier) if (e.esp === pr.esp && rng.chance(0.7)) a.priorCTReports.push(e.id);
  if (persona.province && rng.chance(0.5)) {
    a.location = { city: rng.pick(persona.province.places), region: persona.province.region, countryCode: 'PH', verified: rng.chance(0.3) };
  }
  if (rng.chance(0.3)) a.disabled = { permanent: rng.chance(0.5), date: d.clock.fmt(d.clock.received - rng.int(1, 48) * HOUR), userNotified: rng.chance(0.4) };
  return a;
}

function pickIncident(rng: Rng, ctx: Ctx, weights: [IncidentType, number][]): IncidentType {
  const usable = weights.filter(([t]) => (ctx.p.incidentMix[t] ?? 0) > 0 || t === CSAM);
  const w = usable.length > 0 ? usable : weights;
  return w[rng.weightedIndex(w.map(([, x]) => x))]![0];
}

/** Builds report `index` of `plan`; records its id for the priorCTReports of later ones. */
export function buildPlanted(rng: Rng, ctx: Ctx, plan: Plan, index: number, reportId: string): Draft {
  const pr = plan.reports[index]!;
  const received = pr.t;
  let d: Draft;
  if (plan.kind === 'facilitator') d = buildLivestream(rng, ctx, plan, pr, received);
  else if (plan.kind === 'sextortion') d = buildSextortion(rng, ctx, plan, pr, received);
  else d = buildOffender(rng, ctx, plan, pr, received);
  plan.earlier.push({ esp: pr.esp, id: reportId });
  d.finish(rng, ctx);
  return d;
}

function buildOffender(rng: Rng, ctx: Ctx, plan: OffenderPlan, pr: PlannedReport, received: number): Draft {
  const clock = new Clock(rng, ctx, received, undefined, pr.esp);
  const type =
    pr.category === 'imminent'
      ? pickIncident(rng, ctx, [
          [CSAM, 0.6],
          ['Child Sexual Molestation', 0.25],
          [ENTICEMENT, 0.15],
        ])
      : pr.category === 'new-material'
        ? CSAM
        : pickIncident(rng, ctx, [
            [CSAM, 0.75],
            [ENTICEMENT, 0.2],
            ['Unsolicited Obscene Material Sent to a Child', 0.05],
          ]);
  const d = new Draft(pr.category, pr.esp, clock, type);
  const s = d.spec;
  const urgent = pr.category === 'imminent' || pr.category === 'new-material';
  envelope(rng, ctx, d, !pr.informational, urgent ? (rng.chance(0.9) ? '1' : 'E') : undefined);
  summary(rng, ctx, d, 1);
  s.reported.push(subjectAccount(rng, ctx, d, plan, pr));
  if (pr.category === 'imminent') {
    const age = rng.int(2, 12);
    s.escalate = rng.pick(ESCALATION).replace('{age}', String(age));
    s.victims.push(childVictim(rng, age, age, plan.persona.last));
    s.files = [];
    const n = rng.int(0, 3);
    for (let i = 0; i < n; i++) {
      const video = rng.chance(0.4);
      s.files.push(
        fileSpec(rng, ctx, d, {
          hashes: uniqueHashes(rng, !video),
          fresh: true,
          video,
          annotations: rng.chance(0.3) ? ['physicalHarm'] : [],
          classification: rng.chance(0.6) ? 'A1' : undefined,
          viewed: true,
        }),
      );
    }
  } else if (pr.category === 'new-material') {
    s.victims.push(childVictim(rng, 0, 3, rng.chance(0.5) ? plan.persona.last : undefined));
    const n = rng.int(1, 4);
    for (let i = 0; i < n; i++) {
      const video = rng.chance(0.4);
      s.files.push(
        fileSpec(rng, ctx, d, {
          hashes: uniqueHashes(rng, !video),
          fresh: true,
          video,
          annotations: rng.chance(0.3) ? ['infant', 'physicalHarm'] : ['infant'],
          classification: 'A1',
          viewed: true,
        }),
      );
    }
    if (rng.chance(0.5)) s.additionalInfo = 'No match against known hash sets; content appears newly produced.';
  } else {
    if (rng.chance(0.2)) s.victims.push(childVictim(rng, 6, 15));
    if (type === ENTICEMENT && rng.chance(0.6)) s.intended.push(intendedChild(rng, ctx, pr.esp));
    s.files = ordinaryFiles(rng, ctx, d, rng.int(1, 6));
  }
  return d;
}

function amountText(rng: Rng, country: string): string {
  const usd = rng.pick([20, 25, 30, 40, 50, 60, 100]);
  switch (country) {
    case 'AU':
      return `${usd + 10} aud`;
    case 'GB':
      return `${usd} pounds`;
    case 'PH':
      return `${usd * 50} pesos`;
    default:
      return rng.chance(0.5) ? `$${usd}` : `${usd} usd`;
  }
}

function buildLivestream(rng: Rng, ctx: Ctx, plan: FacilitatorPlan, pr: PlannedReport, received: number): Draft {
  const clock = new Clock(rng, ctx, received, undefined, pr.esp);
  const type = pickIncident(rng, ctx, [
    [TRAFFICKING, 0.4],
    [ENTICEMENT, 0.2],
    [CSAM, 0.4],
  ]);
  const d = new Draft('livestream', pr.esp, clock, type);
  const s = d.spec;
  envelope(rng, ctx, d, true, rng.chance(0.6) ? '1' : '2');
  summary(rng, ctx, d, 1);
  const payer = rng.pick(plan.payers);
  const payerReported = rng.chance(0.5);
  const facilitator = subjectAccount(rng, ctx, d, plan, pr, { phone: pr.phone });
  // Only build the payer's account when it is written: its events feed look-ups and trap truth.
  if (payerReported) s.reported.push(payerAccount(rng, ctx, d, plan, payer, pr.esp), facilitator);
  else s.reported.push(facilitator);
  const fmt = ctx.phoneFormat.draw(rng);
  const wallet = formatPh(plan.persona.phone, fmt);
  plan.subject.note('wallet', plan.persona.phone, wallet);
  const content = rng
    .pick(LIVESTREAM_CHAT)
    .replace('{wallet}', wallet)
    .replace('{amount}', amountText(rng, payer.country))
    .replace('{name}', plan.persona.first);
  s.internet.push({ kind: 'chat', client: espProfile(pr.esp).chatClient, content });
  s.additionalInfo = rng.pick(LIVESTREAM_INFO);
  if (rng.chance(0.2)) s.escalate = "Children appear to be in the account holder's home and live sessions are being arranged for payment.";
  const shown = payerReported ? (rng.chance(0.3) ? 1 : 0) : rng.int(1, plan.victims.length);
  for (let i = 0; i < shown; i++) {
    const v = plan.victims[i]!;
    const va = childVictim(rng, v.age, v.age, rng.chance(0.6) ? plan.persona.last : undefined);
    if (va.person && rng.chance(0.7)) va.person.firstName = v.first;
    s.victims.push(va);
  }
  const infant = plan.victims.some((v) => v.age <= 2);
  const nFiles = payerReported ? rng.int(0, 2) : rng.int(1, 4);
  for (let i = 0; i < nFiles; i++) {
    const annotations = rng.chance(0.6) ? ['liveStreaming'] : [];
    if (infant && rng.chance(0.5)) annotations.push('infant');
    const video = rng.chance(0.6);
    s.files.push(
      fileSpec(rng, ctx, d, {
        hashes: uniqueHashes(rng, !video),
        fresh: true,
        video,
        annotations,
        classification: rng.chance(0.6) ? rng.pick(['A1', 'A2'] as const) : undefined,
      }),
    );
  }
  return d;
}

function payerAccount(rng: Rng, ctx: Ctx, d: Draft, plan: FacilitatorPlan, payer: Persona, esp: string): AccountSpec {
  const key = `${esp}\u0000${payer.handle}`;
  let acct = plan.payerAccounts.get(key);
  if (!acct) {
    acct = { id: newEspId(rng, ctx, esp, payer.handle), handle: payer.handle };
    plan.payerAccounts.set(key, acct);
  }
  const a = account();
  const p = person();
  if (rng.chance(0.4)) {
    p.firstName = payer.first;
    p.lastName = payer.last;
  }
  if (rng.chance(0.4)) p.emails.push({ text: emailVariant(rng, payer.email) });
  if (p.firstName || p.emails.length) a.person = p;
  a.espIdentifier = acct.id;
  if (rng.chance(0.8)) a.espService = esp;
  if (rng.chance(0.6)) a.screenName = payer.handle;
  a.displayName = `${payer.first} ${payer.last[0]}.`;
  const addr = rng.chance(0.3) ? ctx.ips.vpnAddr(rng) : ctx.ips.foreign(rng, payer.country);
  a.ipEvents.push(d.event(rng, ctx, addr, d.clock.before(rng, 2)));
  a.location = { countryCode: payer.country, verified: false };
  return a;
}

function buildSextortion(rng: Rng, ctx: Ctx, plan: SextortionPlan, pr: PlannedReport, received: number): Draft {
  const clock = new Clock(rng, ctx, received, rng.int(10, 90) * MINUTE, pr.esp);
  const d = new Draft(
    'sextortion',
    pr.esp,
    clock,
    pickIncident(rng, ctx, [
      [ENTICEMENT, 0.85],
      [CSAM, 0.15],
    ]),
  );
  const s = d.spec;
  envelope(rng, ctx, d, true, rng.chance(0.7) ? '1' : '2');
  summary(rng, ctx, d, 1);
  if (rng.chance(0.9)) s.reportAnnotations.push('sextortion');
  if (rng.chance(0.4)) s.escalate = rng.pick(SEXTORTION_ESCALATION);
  const a = subjectAccount(rng, ctx, d, plan, pr, { display: plan.lure, eventDays: 0.5 });
  s.reported.push(a);
  // The victim and his account.
  const v = account();
  const vp = person();
  vp.firstName = plan.victim.first;
  if (rng.chance(0.4)) vp.lastName = plan.victim.last;
  vp.age = plan.victim.age;
  v.person = vp;
  v.espService = pr.esp;
  v.screenName = plan.victimHandle;
  if (rng.chance(0.3)) v.schoolName = rng.pick(SCHOOLS);
  if (plan.victim.province) v.location = { city: rng.pick(plan.victim.province.places), region: plan.victim.province.region, countryCode: 'PH' };
  else v.location = { countryCode: plan.victim.country };
  s.victims.push(v);
  let wallet: string;
  if (plan.wallet.crypto) wallet = plan.wallet.canonical;
  else wallet = formatPh(plan.wallet.canonical, ctx.phoneFormat.draw(rng));
  const amount = plan.victim.country === 'PH' ? `${rng.pick([2000, 3000, 5000])} pesos` : `$${rng.pick([100, 150, 200, 250])}`;
  const content = rng
    .pick(SEXTORTION_CHAT)
    .replace('{amount}', amount)
    .replace('{hours}', String(rng.int(1, 6)))
    .replace('{wallet}', wallet);
  if (content.includes(wallet)) plan.subject.note('wallet', plan.wallet.canonical, wallet);
  s.internet.push({ kind: 'chat', client: espProfile(pr.esp).chatClient, content });
  s.additionalInfo = rng.pick(SEXTORTION_INFO);
  const n = rng.int(0, 2);
  for (let i = 0; i < n; i++)
    s.files.push(
      fileSpec(rng, ctx, d, { hashes: uniqueHashes(rng, true), fresh: true, video: false, annotations: ['possibleSelfProduction'], viewed: rng.chance(0.5) }),
    );
  return d;
}

/** Builds a trap report: an ordinary report with the shared trap value put into it. */
export function buildTrap(rng: Rng, ctx: Ctx, trap: TrapPlan): Draft {
  const d = buildBackground(rng, ctx, 'trap', trap.t, true, false);
  const s = d.spec;
  let a = s.reported[0];
  if (!a) {
    a = backgroundAccount(rng, ctx, d, false);
    s.reported.push(a);
  }
  a.person ??= person();
  const p = a.person;
  switch (trap.type) {
    case 'empty-file-hash':
      s.files.push(fileSpec(rng, ctx, d, { hashes: EMPTY_HASHES, video: false }));
      break;
    case 'placeholder': {
      const v = trap.value;
      if (/^0+$|^09000000000$/.test(v)) p.phones.push({ text: v, type: 'Mobile' });
      else if (v.includes('@')) p.emails.push({ text: v });
      else {
        const where = rng.int(0, 2);
        if (where === 0) p.phones.push({ text: v });
        else if (where === 1) p.emails.push({ text: v });
        else a.screenName = v;
      }
      d.traps.push(['placeholder', v]);
      break;
    }
    case 'hub-email':
      p.emails.push({ text: trap.value, type: rng.chance(0.5) ? 'Recovery' : undefined });
      d.traps.push(['hub-email', trap.value]);
      break;
    case 'vpn-ip': {
      const addr = ctx.ips.vpn.find((x) => x.ip === trap.value) ?? ctx.ips.vpnAddr(rng);
      a.ipEvents.push(d.event(rng, ctx, addr, d.clock.before(rng, 5)));
      break;
    }
    case 'public-dns-ip': {
      const addr = { ...ctx.ips.publicDns(rng), ip: trap.value };
      a.ipEvents.push(d.event(rng, ctx, addr, d.clock.before(rng, 5)));
      break;
    }
  }
  d.finish(rng, ctx);
  return d;
}
