// What the adversarial world plants on top of the standard stream (docs/generator.md "The
// adversarial world"): subjects whose reports link only through the forms real data uses
// (one account under product names or a profile URL; one IP, port and time across ESP clocks; a
// foreign mobile in national form), urgent reports in quiet forms, decoys that look urgent by one
// label, and values unrelated people share. Every planted value is fresh from the run's registry,
// so the links truth lists are the only ones the world means.
import type { Ctx } from '../context.ts';
import { PLACEHOLDERS_BY_KIND, PLACEHOLDER_KINDS, PRODUCT_NAMES, PROFILE_URLS, SHARED_MAILBOXES, espContact, type PlaceholderKind } from '../data/products.ts';
import { espProfile } from '../data/esps.ts';
import { LURE_NAMES } from '../data/names.ts';
import type { IpAddr } from '../ips.ts';
import { newDevice, newEspId, newHandle, newPersona, type Device, type Persona } from '../people.ts';
import { formatPh, phMobile } from '../phones.ts';
import { base58, distinctEsps, plantCount, spreadTimes, type FacilitatorPlan, type PlantPlan } from '../plants.ts';
import { WeightedTable, type Rng } from '../rng.ts';
import { DAY, HOUR, MINUTE } from '../time.ts';
import type { Category, SubjectTruth, Truth } from '../truth.ts';
import { validMobile } from './phones.ts';

/** One report of an account-only subject: the product name it is filed under, and whether only a profile URL names the account. */
export interface AccountOnlyReport {
  t: number;
  product: string;
  urlOnly: boolean;
}

/** A subject seen only through one account (domain.md §7.6 account namespaces, profile URLs). */
export interface AccountOnlyPlan {
  subject: SubjectTruth;
  persona: Persona;
  esp: string;
  id: string;
  handle: string;
  /** A group both reports name, so that a handle seen only in a URL has a second medium key (§7.1). */
  group?: string;
  reports: AccountOnlyReport[];
}

/** Two accounts of one person on two ESPs, seen together only at one IP address, port and time (§7.2, §12.2). */
export interface IpOnlyPlan {
  subject: SubjectTruth;
  persona: Persona;
  addr: IpAddr;
  port: number;
  at: number;
  reports: { t: number; esp: string; id: string; handle: string; lagSeconds: number }[];
}

/** Where a report carries the country of a national-form phone (issue 17 item 3 order), or none. */
export type PhoneHint = 'routed-country' | 'esp-location' | 'reporter-country' | 'ip-country' | 'none' | 'international';

/** A subject abroad whose mobile is written nationally on some reports (§7.6, §8). */
export interface ForeignPhonePlan {
  subject: SubjectTruth;
  persona: Persona;
  country: string;
  phone: string;
  device: Device;
  accounts: Map<string, { id: string; handle: string }>;
  reports: { t: number; esp: string; hint: PhoneHint; device: boolean }[];
}

/** New material of a child under 12, reported quietly (no escalation, ordinary labels). */
export interface QuietPlan {
  subject: SubjectTruth;
  persona: Persona;
  t: number;
  esp: string;
  age: number;
  evidence: { victimAge: boolean; classA: boolean; infant: boolean };
}

/** Sextortion of a minor told only in chat text (no annotation, no escalation). */
export interface SextortionChatPlan {
  subject: SubjectTruth;
  persona: Persona;
  victim: Persona;
  victimHandle: string;
  lure: string;
  esp: string;
  id: string;
  handle: string;
  wallet?: { canonical: string; written: string };
  reports: { t: number }[];
}

/** Common fields of what a world plants in one slot. */
interface WorldSlotBase {
  /** The scenario truth records for the report. */
  scenario: string;
  /** The planted subject the report belongs to, if any. */
  subject: SubjectTruth | null;
}

/** What a world plants in one slot of the stream. */
export type WorldSlot = WorldSlotBase &
  (
    | { kind: 'account-only'; plan: AccountOnlyPlan; index: number }
    | { kind: 'ip-only'; plan: IpOnlyPlan; index: number }
    | { kind: 'foreign-phone'; plan: ForeignPhonePlan; index: number }
    | { kind: 'new-material-quiet'; plan: QuietPlan }
    | { kind: 'sextortion-chat'; plan: SextortionChatPlan; index: number }
    | { kind: 'livestream-sparse'; facilitator: FacilitatorPlan }
    | { kind: 'decoy-known-severe' }
    | { kind: 'decoy-live-viral' }
    | { kind: 'decoy-empty-escalation' }
    | { kind: 'placeholder'; placeholder: PlaceholderKind; value: string }
    | { kind: 'shared-mailbox'; value: string; phone: boolean }
    | { kind: 'id-collision'; value: string; esp: string }
    | { kind: 'handle-collision'; value: string; esp: string }
    | { kind: 'ip-port-decoy'; addr: IpAddr; port: number; at: number }
  );

/** A slot of the stream that a world fills. */
export interface WorldStreamSlot {
  t: number;
  category: Category;
  referral: boolean;
  plan?: undefined;
  trap?: undefined;
  world: WorldSlot;
  index: number;
  spike?: undefined;
}

/** ESPs whose writing the world knows, weighted by the run's ESP mix. */
function espTable(ctx: Ctx, keep: (esp: string) => boolean): WeightedTable<string> {
  const w: Record<string, number> = {};
  for (const [k, v] of Object.entries(ctx.p.esps.mix)) if (v > 0 && keep(k)) w[k] = v;
  return Object.keys(w).length > 0 ? new WeightedTable(w) : ctx.esp;
}

function timeIn(rng: Rng, ctx: Ctx): number {
  return ctx.start + Math.floor((rng.float() * (ctx.end - ctx.start)) / 1000) * 1000;
}

function count(ctx: Ctx, per10k: number, reports: number): number {
  return plantCount(per10k, reports, ctx.p.plants.minReportsForEveryPlant);
}

function pickProducts(rng: Rng, esp: string, n: number): string[] {
  const names = PRODUCT_NAMES[esp] ?? [esp];
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    let x = rng.pick(names);
    for (let k = 0; k < 4 && out.includes(x); k++) x = rng.pick(names);
    out.push(x);
  }
  return out;
}

/** Plans every plant of the world; subject ids continue after the standard plants'. */
export function planWorld(rng: Rng, ctx: Ctx, truth: Truth, reports: number, plants: PlantPlan): WorldStreamSlot[] {
  const w = ctx.world!.w;
  const slots: WorldStreamSlot[] = [];
  const push = (t: number, category: Category, referral: boolean, world: WorldSlot): void => {
    slots.push({ t, category, referral, world, index: 0 });
  };

  // One account under product names, or only as a profile URL.
  const namedEsps = espTable(ctx, (e) => (PRODUCT_NAMES[e]?.length ?? 0) > 1);
  for (let i = 0; i < count(ctx, w.subjects.accountOnlyPer10k, reports); i++) {
    const persona = newPersona(rng, ctx, { country: 'PH', sex: rng.chance(0.85) ? 'M' : 'F', minAge: 19, maxAge: 60 });
    const esp = namedEsps.draw(rng);
    const n = rng.int(w.subjects.accountOnlyReportsMin, Math.max(w.subjects.accountOnlyReportsMin, w.subjects.accountOnlyReportsMax));
    const times = spreadTimes(rng, ctx, n, 3 * DAY);
    const products = pickProducts(rng, esp, n);
    const urls = PROFILE_URLS[esp] ?? [];
    // The first report always names the account itself, so a URL-only report has something to meet.
    const reportsPlan = times.map((t, k) => ({ t, product: products[k]!, urlOnly: k > 0 && urls.length > 0 && rng.chance(w.subjects.profileUrlOnlyShare) }));
    const handleUrls = urls.some((u) => u.carries === 'handle') && !urls.some((u) => u.carries === 'id');
    const plan: AccountOnlyPlan = {
      subject: truth.newSubject('offender'),
      persona,
      esp,
      id: newEspId(rng, ctx, esp, persona.handle),
      handle: persona.handle,
      ...(handleUrls && reportsPlan.some((r) => r.urlOnly) ? { group: `${rng.pick(['group', 'gc', 'chat'])}-${rng.digits(12)}` } : {}),
      reports: reportsPlan,
    };
    reportsPlan.forEach((r, index) =>
      push(r.t, 'offender', !rng.chance(0.1), { kind: 'account-only', scenario: 'account-only', subject: plan.subject, plan, index }),
    );
  }

  // One IP address, port and time across two ESPs' clocks.
  for (let i = 0; i < count(ctx, w.subjects.ipPortTimeOnlyPer10k, reports); i++) {
    const persona = newPersona(rng, ctx, { country: 'PH', sex: 'M', minAge: 19, maxAge: 55 });
    const esps = distinctEsps(rng, ctx.esp, 2);
    if (esps.length < 2) break;
    const [t1, t2] = spreadTimes(rng, ctx, 2, 2 * DAY) as [number, number];
    const addr = rng.pick(ctx.ips.cgnat);
    const at = Math.floor((t1 - rng.int(1, 72) * HOUR) / 1000) * 1000;
    const plan: IpOnlyPlan = {
      subject: truth.newSubject('offender'),
      persona,
      addr,
      port: rng.int(1024, 65535),
      at,
      reports: [t1, t2].map((t, k) => {
        const handle = k === 0 ? persona.handle : newHandle(rng, ctx, persona.first, persona.last);
        return { t, esp: esps[k]!, id: newEspId(rng, ctx, esps[k]!, handle), handle, lagSeconds: k === 0 ? 0 : rng.int(0, 3) };
      }),
    };
    plan.reports.forEach((r, index) => push(r.t, 'offender', true, { kind: 'ip-only', scenario: 'ip-port-time-only', subject: plan.subject, plan, index }));
  }

  // A foreign mobile in national form, with or without a country hint in the report.
  const countries = new WeightedTable(w.subjects.foreignPhoneCountries);
  const hints = new WeightedTable(w.subjects.phoneHintMix);
  for (let i = 0; i < count(ctx, w.subjects.foreignPhonePer10k, reports); i++) {
    const country = countries.draw(rng);
    const persona = newPersona(rng, ctx, { country, sex: 'M', minAge: 22, maxAge: 70 });
    const n = rng.int(w.subjects.foreignPhoneReportsMin, Math.max(w.subjects.foreignPhoneReportsMin, w.subjects.foreignPhoneReportsMax));
    const esps = distinctEsps(rng, ctx.esp, Math.min(n, rng.int(1, 2)));
    const times = spreadTimes(rng, ctx, n, 2 * DAY);
    const intl = rng.int(0, n - 1);
    const plan: ForeignPhonePlan = {
      subject: truth.newSubject('offender'),
      persona,
      country,
      phone: validMobile(rng, ctx.unique, country),
      device: newDevice(rng, ctx),
      accounts: new Map(),
      reports: times.map((t, k) => {
        const esp = esps[k % esps.length]!;
        let hint = k === intl ? 'international' : (hints.draw(rng) as PhoneHint);
        // The reporter's address is the company's: it names this country only for a company there.
        if (hint === 'reporter-country' && espContact(esp, espProfile(esp).reporterDomain).country !== country) hint = 'ip-country';
        return { t, esp, hint, device: hint === 'none' };
      }),
    };
    // A number with no hint is ambiguous (weak evidence): its report also carries the device, and so does the international one.
    if (plan.reports.some((r) => r.device)) plan.reports[intl]!.device = true;
    plan.reports.forEach((r, index) =>
      push(r.t, 'offender', true, { kind: 'foreign-phone', scenario: `foreign-phone-${r.hint}`, subject: plan.subject, plan, index }),
    );
  }

  // New material of a child under 12 with no escalation and ordinary labels.
  for (let i = 0; i < count(ctx, w.urgent.newMaterialQuietPer10k, reports); i++) {
    const persona = newPersona(rng, ctx, { country: 'PH', sex: rng.chance(0.8) ? 'M' : 'F', minAge: 19, maxAge: 60 });
    const age = rng.chance(0.3) ? rng.int(0, 2) : rng.int(3, 11);
    const evidence = { victimAge: rng.chance(0.6), classA: rng.chance(0.6), infant: age <= 1 && rng.chance(0.7) };
    if (!evidence.victimAge && !evidence.classA && !evidence.infant) evidence.victimAge = true;
    const plan: QuietPlan = { subject: truth.newSubject('offender'), persona, t: timeIn(rng, ctx), esp: ctx.esp.draw(rng), age, evidence };
    push(plan.t, 'new-material', true, { kind: 'new-material-quiet', scenario: 'new-material-quiet', subject: plan.subject, plan });
  }

  // Sextortion of a minor told only in chat text.
  const sxEsps = espTable(ctx, (e) => ['Instagram', 'Snapchat', 'Facebook', 'TikTok', 'Discord'].includes(e));
  const sxCountries = new WeightedTable(ctx.p.plants.sextortionOffenderCountries);
  for (let i = 0; i < count(ctx, w.urgent.sextortionChatOnlyPer10k, reports); i++) {
    const country = sxCountries.draw(rng);
    const persona = newPersona(rng, ctx, { country, sex: 'M', minAge: 18, maxAge: 34 });
    const lure = rng.pick(LURE_NAMES);
    const handle = newHandle(rng, ctx, lure.split(' ')[0]!, lure.split(' ')[1] ?? 'x');
    const esp = sxEsps.draw(rng);
    const victim = newPersona(rng, ctx, { country: country === 'PH' && rng.chance(0.6) ? 'US' : 'PH', sex: 'M', minAge: 13, maxAge: 17, child: true });
    const t0 = timeIn(rng, ctx);
    const n = rng.int(1, 2);
    const crypto = country !== 'PH';
    const wallet = rng.chance(0.6) ? (crypto ? { canonical: `T${base58(rng, 33)}`, written: '' } : { canonical: persona.phone, written: '' }) : undefined;
    if (wallet) wallet.written = crypto ? wallet.canonical : formatPh(wallet.canonical, ctx.phoneFormat.draw(rng));
    const plan: SextortionChatPlan = {
      subject: truth.newSubject('sextortion-offender'),
      persona,
      victim,
      victimHandle: newHandle(rng, ctx, victim.first, victim.last),
      lure,
      esp,
      id: newEspId(rng, ctx, esp, handle),
      handle,
      ...(wallet ? { wallet } : {}),
      reports: Array.from({ length: n }, (_, k) => ({ t: Math.min(ctx.end - MINUTE, Math.floor((t0 + k * rng.int(20, 300) * MINUTE) / 1000) * 1000) })),
    };
    plan.reports.forEach((r, index) =>
      push(r.t, 'sextortion', rng.chance(0.6), { kind: 'sextortion-chat', scenario: 'sextortion-chat-only', subject: plan.subject, plan, index }),
    );
  }

  // A payer's sparse report whose only tie to a livestream cluster is the facilitator's wallet.
  for (const plan of plants.plans) {
    if (plan.kind !== 'facilitator') continue;
    const per = w.urgent.livestreamSparsePerCluster;
    const n = Math.floor(per) + (rng.chance(per - Math.floor(per)) ? 1 : 0);
    const first = plan.reports[0]!.t;
    const last = plan.reports[plan.reports.length - 1]!.t;
    for (let k = 0; k < n; k++) {
      const t = Math.min(ctx.end - MINUTE, Math.floor((first + rng.float() * (last - first + DAY)) / 1000) * 1000);
      push(t, 'livestream', true, { kind: 'livestream-sparse', scenario: 'livestream-sparse', subject: plan.subject, facilitator: plan });
    }
  }

  // Decoys: severe but known material, livestream labels on memes, empty escalations on noise.
  for (let i = 0; i < count(ctx, w.decoys.knownSeverePer10k, reports); i++) {
    push(timeIn(rng, ctx), 'ordinary', true, { kind: 'decoy-known-severe', scenario: 'decoy-known-severe', subject: null });
  }
  for (let i = 0; i < count(ctx, w.decoys.liveOnViralPer10k, reports); i++) {
    push(timeIn(rng, ctx), 'viral', !rng.chance(ctx.p.viral.informationalShare), { kind: 'decoy-live-viral', scenario: 'decoy-live-viral', subject: null });
  }
  for (let i = 0; i < count(ctx, w.decoys.emptyEscalationPer10k, reports); i++) {
    const x = rng.float();
    const category: Category = x < 0.35 ? 'viral' : x < 0.7 ? 'meme-batch' : 'informational';
    const referral = category === 'informational' ? false : !rng.chance(ctx.p.viral.informationalShare);
    push(timeIn(rng, ctx), category, referral, { kind: 'decoy-empty-escalation', scenario: 'decoy-empty-escalation', subject: null });
  }

  // Placeholders in every identifier kind, each value shared by several unrelated reports.
  for (const kind of PLACEHOLDER_KINDS) {
    const n = Math.max(reports >= ctx.p.plants.minReportsForEveryPlant ? 3 : 0, Math.round((w.traps.placeholderPer10kPerKind * reports) / 10000));
    const values = PLACEHOLDERS_BY_KIND[kind];
    const usable = values.slice(0, Math.max(1, Math.min(values.length, Math.floor(n / 3))));
    for (let i = 0; i < n; i++) {
      push(timeIn(rng, ctx), 'trap', true, {
        kind: 'placeholder',
        scenario: `placeholder-${kind}`,
        subject: null,
        placeholder: kind,
        value: usable[i % usable.length]!,
      });
    }
  }

  // Shared shop and school mailboxes and lines: many unrelated people, one value.
  let mailboxes = count(ctx, w.traps.sharedMailboxPer10k, reports);
  for (let v = 0; mailboxes > 0; v++) {
    // Never fewer than the minimum: a shop's value is a hub because many people write it.
    const size = Math.max(2, rng.int(w.traps.sharedMailboxReportsMin, Math.max(w.traps.sharedMailboxReportsMin, w.traps.sharedMailboxReportsMax)));
    const phone = v % 2 === 1;
    const value = phone
      ? formatPh(phMobile(rng, ctx.unique), rng.pick(['local', 'local-spaced', 'dashed'] as const))
      : ctx.unique.fresh(() => SHARED_MAILBOXES[v % SHARED_MAILBOXES.length]!.replace('{n}', String(rng.int(1, 99))));
    for (let k = 0; k < size; k++) push(timeIn(rng, ctx), 'trap', true, { kind: 'shared-mailbox', scenario: 'shared-mailbox', subject: null, value, phone });
    mailboxes -= size;
  }

  // Equal ids in two account systems, and equal handles on two services: different people.
  const numericEsps = distinctEsps(
    rng,
    espTable(ctx, (e) => ['Instagram', 'Telegram', 'Bigo Live', 'Google', 'WhatsApp'].includes(e)),
    5,
  );
  for (let i = 0; numericEsps.length >= 2 && i < count(ctx, w.traps.idCollisionPer10k, reports); i++) {
    const value = ctx.unique.fresh(() => `${rng.int(1, 9)}${rng.digits(9)}`);
    const [a, b] = rng.shuffle([...numericEsps]).slice(0, 2) as [string, string];
    for (const esp of [a, b]) push(timeIn(rng, ctx), 'trap', true, { kind: 'id-collision', scenario: 'id-collision', subject: null, value, esp });
  }
  const handleEsps = distinctEsps(
    rng,
    espTable(ctx, (e) => espProfile(e).idStyle !== 'email-like'),
    6,
  );
  for (let i = 0; handleEsps.length >= 2 && i < count(ctx, w.traps.handleCollisionPer10k, reports); i++) {
    const value = newHandle(rng, ctx, rng.pick(['jun', 'mark', 'angel', 'kim', 'joy']), rng.pick(['cruz', 'santos', 'reyes']));
    const [a, b] = rng.shuffle([...handleEsps]).slice(0, 2) as [string, string];
    for (const esp of [a, b]) push(timeIn(rng, ctx), 'trap', true, { kind: 'handle-collision', scenario: 'handle-collision', subject: null, value, esp });
  }

  // One CGNAT address and port, minutes apart: two subscribers, not one (§7.2).
  for (let i = 0; i < count(ctx, w.traps.ipPortDecoyPer10k, reports); i++) {
    const addr = rng.pick(ctx.ips.cgnat);
    const port = rng.int(1024, 65535);
    const at = timeIn(rng, ctx) - DAY;
    const gap = rng.int(w.traps.ipPortDecoyMinutesMin, Math.max(w.traps.ipPortDecoyMinutesMin, w.traps.ipPortDecoyMinutesMax)) * MINUTE + rng.int(0, 59) * 1000;
    for (const when of [at, at + gap]) {
      const t = Math.min(ctx.end - MINUTE, Math.max(ctx.start, when + rng.int(1, 72) * HOUR));
      push(Math.floor(t / 1000) * 1000, 'trap', true, { kind: 'ip-port-decoy', scenario: 'ip-port-decoy', subject: null, addr, port, at: when });
    }
  }
  return slots;
}
