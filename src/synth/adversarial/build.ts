// Builds the reports the adversarial world plants (plan.ts). Every identifier a planted subject's
// report writes goes through SubjectTruth.note as it is put into the spec, so truth lists exactly
// the written forms; every trap value goes into the draft's trap notes.
import type { Ctx } from '../context.ts';
import { espProfile } from '../data/esps.ts';
import { PH_SURNAMES } from '../data/names.ts';
import { ESCALATION_BOILERPLATE, PROFILE_URLS, PRODUCT_NAMES, espContact, type UrlForm } from '../data/products.ts';
import { LIVESTREAM_PAYER_CHAT, PLACEHOLDER_PAYMENT_LINES, SEXTORTION_CHAT_ONLY } from '../data/text.ts';
import { uniqueHashes } from '../hashes.ts';
import type { IncidentType } from '../params.ts';
import { handleVariant, newEspId } from '../people.ts';
import { formatPh } from '../phones.ts';
import { espKey } from '../plants.ts';
import { backgroundAccount, buildBackground, childVictim, Clock, Draft, envelope, fileSpec, ordinaryFiles, summary } from '../reports.ts';
import type { Rng } from '../rng.ts';
import { account, person, type AccountSpec } from '../spec.ts';
import { MINUTE, isoUtc } from '../time.ts';
import type { Category, TrapType } from '../truth.ts';
import { internationalForm, nationalForm } from './phones.ts';
import type { WorldSlot } from './plan.ts';

const CSAM: IncidentType = 'Child Pornography (possession, manufacture, and distribution)';
const ENTICEMENT: IncidentType = 'Online Enticement of Children for Sexual Acts';
const TRAFFICKING: IncidentType = 'Child Sex Trafficking';

/** A URL of `form` for an id or handle. */
export function profileUrl(form: UrlForm, value: string): string {
  return form.template.replace('{id}', value).replace('{handle}', value);
}

/** A handle as it appears in a URL: as created or with capitals (services treat handles case-blind). */
function urlHandle(rng: Rng, handle: string): string {
  return rng.chance(0.3)
    ? handle
        .split(/([._])/)
        .map((p) => (p ? p[0]!.toUpperCase() + p.slice(1) : p))
        .join('')
    : handle;
}

/** The reported account of a world trap: the background one, or a fresh one when the report had none. */
function reportedOf(rng: Rng, ctx: Ctx, d: Draft): AccountSpec {
  let a = d.spec.reported[0];
  if (!a) {
    a = backgroundAccount(rng, ctx, d, false);
    d.spec.reported.push(a);
  }
  return a;
}

/** Builds the report of a world slot received at `t`. */
export function buildWorld(rng: Rng, ctx: Ctx, slot: WorldSlot, t: number, category: Category, referral: boolean): Draft {
  switch (slot.kind) {
    case 'account-only':
      return accountOnly(rng, ctx, slot, referral);
    case 'ip-only':
      return ipOnly(rng, ctx, slot, referral);
    case 'foreign-phone':
      return foreignPhone(rng, ctx, slot, referral);
    case 'new-material-quiet':
      return quietNewMaterial(rng, ctx, slot, referral);
    case 'sextortion-chat':
      return sextortionChat(rng, ctx, slot, referral);
    case 'livestream-sparse':
      return livestreamSparse(rng, ctx, slot, t, referral);
    default:
      return worldTrapOrDecoy(rng, ctx, slot, t, category, referral);
  }
}

function accountOnly(rng: Rng, ctx: Ctx, slot: Extract<WorldSlot, { kind: 'account-only' }>, referral: boolean): Draft {
  const plan = slot.plan;
  const r = plan.reports[slot.index]!;
  const s = plan.subject;
  const d = new Draft('offender', plan.esp, new Clock(rng, ctx, r.t, undefined, plan.esp), rng.chance(0.8) ? CSAM : ENTICEMENT);
  envelope(rng, ctx, d, referral);
  summary(rng, ctx, d, 1);
  if (d.spec.platform !== undefined) d.spec.platform = r.product;
  const a = account();
  if (rng.chance(0.3)) a.person = { ...person(), firstName: plan.persona.first, lastName: plan.persona.last };
  const urls = PROFILE_URLS[plan.esp] ?? [];
  if (r.urlOnly) {
    const form = rng.pick(urls);
    const value = form.carries === 'id' ? plan.id : urlHandle(rng, plan.handle);
    a.profileUrl = profileUrl(form, value);
    if (form.carries === 'id') s.note('esp-user-id', `${espKey(plan.esp)}:${plan.id}`, a.profileUrl);
    else s.note('screen-name', plan.handle, a.profileUrl);
  } else {
    a.espIdentifier = plan.id;
    s.note('esp-user-id', `${espKey(plan.esp)}:${plan.id}`, plan.id);
    a.espService = r.product;
    if (plan.group || rng.chance(0.5)) {
      a.screenName = handleVariant(rng, plan.handle);
      s.note('screen-name', plan.handle, a.screenName);
    }
    if (urls.length > 0 && rng.chance(0.3)) {
      const form = rng.pick(urls);
      a.profileUrl = profileUrl(form, form.carries === 'id' ? plan.id : urlHandle(rng, plan.handle));
      if (form.carries === 'id') s.note('esp-user-id', `${espKey(plan.esp)}:${plan.id}`, a.profileUrl);
      else s.note('screen-name', plan.handle, a.profileUrl);
    }
  }
  if (plan.group) {
    a.groupIdentifier = plan.group;
    s.note('group-id', plan.group, plan.group);
  }
  // Mobile data behind CGNAT, without a port: context, never a link (§7.2).
  for (let i = rng.int(0, 2); i > 0; i--) a.ipEvents.push(d.event(rng, ctx, ctx.ips.mobile(rng), d.clock.before(rng, 7), { port: false }));
  d.spec.reported.push(a);
  d.spec.files = ordinaryFiles(rng, ctx, d, rng.int(1, 4));
  d.finish(rng, ctx);
  return d;
}

function ipOnly(rng: Rng, ctx: Ctx, slot: Extract<WorldSlot, { kind: 'ip-only' }>, referral: boolean): Draft {
  const plan = slot.plan;
  const r = plan.reports[slot.index]!;
  const s = plan.subject;
  // The one link is a time: it is written with a zone, whatever the ESP's habit.
  const d = new Draft('offender', r.esp, new Clock(rng, ctx, r.t, undefined, r.esp, true), rng.chance(0.75) ? CSAM : ENTICEMENT);
  envelope(rng, ctx, d, referral);
  summary(rng, ctx, d, 1);
  const a = account();
  a.espIdentifier = r.id;
  s.note('esp-user-id', `${espKey(r.esp)}:${r.id}`, r.id);
  if (rng.chance(0.85)) a.espService = r.esp;
  if (rng.chance(0.6)) {
    a.screenName = handleVariant(rng, r.handle);
    s.note('screen-name', r.handle, a.screenName);
  }
  if (rng.chance(0.5)) a.ipEvents.push(d.event(rng, ctx, ctx.ips.mobile(rng), d.clock.before(rng, 5), { port: false }));
  d.addrs.push(plan.addr);
  const written = d.clock.fmt(plan.at + r.lagSeconds * 1000);
  a.ipEvents.push({ ip: plan.addr.ip, eventName: 'Login', dateTime: written, port: plan.port });
  s.note('ip-port-time', `${plan.addr.ip}|${plan.port}|${isoUtc(plan.at)}`, `${plan.addr.ip}|${plan.port}|${written}`);
  d.spec.reported.push(a);
  d.spec.files = ordinaryFiles(rng, ctx, d, rng.int(1, 3));
  d.finish(rng, ctx);
  return d;
}

function foreignPhone(rng: Rng, ctx: Ctx, slot: Extract<WorldSlot, { kind: 'foreign-phone' }>, referral: boolean): Draft {
  const plan = slot.plan;
  const r = plan.reports[slot.index]!;
  const s = plan.subject;
  const d = new Draft('offender', r.esp, new Clock(rng, ctx, r.t, undefined, r.esp), rng.chance(0.5) ? ENTICEMENT : CSAM);
  const spec = d.spec;
  envelope(rng, ctx, d, referral);
  summary(rng, ctx, d, 1);
  if (r.hint === 'routed-country') spec.country = plan.country;
  if (r.hint === 'reporter-country') spec.reporter.country = espContact(r.esp, espProfile(r.esp).reporterDomain).country;
  const a = account();
  const p = person();
  if (rng.chance(0.5)) {
    p.firstName = plan.persona.first;
    p.lastName = plan.persona.last;
  }
  const text = r.hint === 'international' ? internationalForm(rng, plan.phone, plan.country) : nationalForm(rng, plan.phone, plan.country);
  p.phones.push({ text, type: rng.chance(0.6) ? 'Mobile' : undefined });
  s.note('phone', plan.phone, text, [r.hint]);
  a.person = p;
  let acct = plan.accounts.get(r.esp);
  if (!acct) {
    acct = { id: newEspId(rng, ctx, r.esp, plan.persona.handle), handle: plan.persona.handle };
    plan.accounts.set(r.esp, acct);
  }
  a.espIdentifier = acct.id;
  s.note('esp-user-id', `${espKey(r.esp)}:${acct.id}`, acct.id);
  if (rng.chance(0.8)) a.espService = r.esp;
  if (r.hint === 'esp-location') a.location = { countryCode: plan.country, verified: rng.chance(0.5) ? false : undefined };
  if (r.hint === 'ip-country') {
    const addr = ctx.ips.foreign(rng, plan.country);
    a.ipEvents.push(d.event(rng, ctx, addr, d.clock.before(rng, 3)));
  } else if (rng.chance(0.5)) {
    // Abroad through a VPN: the look-up names the VPN's country, not the person's.
    a.ipEvents.push(d.event(rng, ctx, ctx.ips.vpnAddr(rng), d.clock.before(rng, 3)));
  }
  if (r.device) {
    const form = rng.pick(plan.device.forms);
    a.devices.push({ idType: plan.device.idType, idValue: form });
    s.note('device-id', plan.device.canonical, form);
  }
  spec.reported.push(a);
  if (spec.incidentType === ENTICEMENT && rng.chance(0.6)) spec.victims.push(childVictim(rng, 13, 16));
  spec.files = ordinaryFiles(rng, ctx, d, rng.int(0, 3));
  d.finish(rng, ctx);
  // NCMEC geolocates the foreign address: make sure the look-up is there to read.
  if (r.hint === 'ip-country') {
    const addr = d.addrs.find((x) => x.country === plan.country);
    if (addr && !spec.lookups.some((l) => l.ip === addr.ip)) spec.lookups.push(addr);
  }
  return d;
}

function quietNewMaterial(rng: Rng, ctx: Ctx, slot: Extract<WorldSlot, { kind: 'new-material-quiet' }>, referral: boolean): Draft {
  const plan = slot.plan;
  const d = new Draft('new-material', plan.esp, new Clock(rng, ctx, plan.t, undefined, plan.esp), CSAM);
  const spec = d.spec;
  // Nothing on the envelope says "urgent": the priority is any report's.
  envelope(rng, ctx, d, referral, rng.chance(0.9) ? ctx.priority.draw(rng) : undefined);
  summary(rng, ctx, d, 1);
  const a = backgroundAccount(rng, ctx, d, false);
  spec.reported.push(a);
  if (plan.evidence.victimAge) spec.victims.push(childVictim(rng, plan.age, plan.age, rng.chance(0.5) ? plan.persona.last : undefined));
  const n = rng.int(1, 3);
  for (let i = 0; i < n; i++) {
    const video = rng.chance(0.35);
    spec.files.push(
      fileSpec(rng, ctx, d, {
        hashes: uniqueHashes(rng, !video && rng.chance(ctx.p.files.pdqShare)),
        fresh: true,
        video,
        annotations: plan.evidence.infant ? ['infant'] : [],
        classification: plan.evidence.classA ? rng.pick(['A1', 'A1', 'A2'] as const) : undefined,
        viewed: rng.chance(0.85) ? true : undefined,
      }),
    );
  }
  d.finish(rng, ctx);
  return d;
}

function amountFor(rng: Rng, country: string): string {
  return country === 'PH'
    ? `${rng.pick([2000, 3000, 5000])} pesos`
    : rng.chance(0.5)
      ? `$${rng.pick([100, 150, 200, 300])}`
      : `${rng.pick([100, 200, 250])} usd`;
}

function sextortionChat(rng: Rng, ctx: Ctx, slot: Extract<WorldSlot, { kind: 'sextortion-chat' }>, referral: boolean): Draft {
  const plan = slot.plan;
  const r = plan.reports[slot.index]!;
  const s = plan.subject;
  const d = new Draft('sextortion', plan.esp, new Clock(rng, ctx, r.t, rng.int(10, 120) * MINUTE, plan.esp), rng.chance(0.5) ? CSAM : ENTICEMENT);
  const spec = d.spec;
  envelope(rng, ctx, d, referral, rng.chance(0.9) ? ctx.priority.draw(rng) : undefined);
  summary(rng, ctx, d, 1);
  const a = account();
  a.espIdentifier = plan.id;
  s.note('esp-user-id', `${espKey(plan.esp)}:${plan.id}`, plan.id);
  if (rng.chance(0.8)) a.espService = plan.esp;
  if (rng.chance(0.7)) {
    a.screenName = handleVariant(rng, plan.handle);
    s.note('screen-name', plan.handle, a.screenName);
  }
  a.displayName = plan.lure;
  const addr = plan.persona.country === 'PH' ? ctx.ips.mobile(rng) : ctx.ips.foreign(rng, plan.persona.country);
  a.ipEvents.push(d.event(rng, ctx, addr, d.clock.before(rng, 0.3)));
  spec.reported.push(a);
  if (rng.chance(0.5)) {
    const v = account();
    const vp = person();
    vp.firstName = plan.victim.first;
    if (rng.chance(0.5)) vp.age = plan.victim.age;
    v.person = vp;
    v.espService = plan.esp;
    v.screenName = plan.victimHandle;
    spec.victims.push(v);
  }
  const wallet = plan.wallet ? `send to ${plan.wallet.written}` : '';
  const content = rng
    .pick(SEXTORTION_CHAT_ONLY)
    .replace('{amount}', amountFor(rng, plan.victim.country))
    .replace('{hours}', String(rng.int(1, 6)))
    .replace('{age}', String(plan.victim.age))
    .replace('{wallet}', wallet)
    .trimEnd();
  if (plan.wallet) s.note('wallet', plan.wallet.canonical, plan.wallet.written);
  spec.internet.push({ kind: 'chat', client: espProfile(plan.esp).chatClient, content });
  if (rng.chance(0.3)) spec.files.push(fileSpec(rng, ctx, d, { hashes: uniqueHashes(rng, true), fresh: true, video: false, viewed: rng.chance(0.5) }));
  d.finish(rng, ctx);
  return d;
}

function livestreamSparse(rng: Rng, ctx: Ctx, slot: Extract<WorldSlot, { kind: 'livestream-sparse' }>, t: number, referral: boolean): Draft {
  const fac = slot.facilitator;
  const payer = rng.pick(fac.payers);
  const esp = rng.pick([...new Set(fac.reports.map((r) => r.esp))]);
  const d = new Draft('livestream', esp, new Clock(rng, ctx, t, undefined, esp), CSAM);
  const spec = d.spec;
  envelope(rng, ctx, d, referral, rng.chance(0.9) ? ctx.priority.draw(rng) : undefined);
  summary(rng, ctx, d, 1);
  const a = account();
  a.espIdentifier = newEspId(rng, ctx, esp, payer.handle);
  if (rng.chance(0.6)) a.espService = esp;
  a.displayName = `${payer.first} ${payer.last[0]}.`;
  a.ipEvents.push(d.event(rng, ctx, rng.chance(0.3) ? ctx.ips.vpnAddr(rng) : ctx.ips.foreign(rng, payer.country), d.clock.before(rng, 2)));
  spec.reported.push(a);
  const written = formatPh(fac.persona.phone, ctx.phoneFormat.draw(rng));
  fac.subject.note('wallet', fac.persona.phone, written);
  const usd = rng.pick([20, 30, 50, 100]);
  const amount = payer.country === 'AU' ? `${usd + 10} aud` : payer.country === 'GB' ? `${usd} pounds` : `$${usd}`;
  spec.internet.push({
    kind: 'chat',
    client: espProfile(esp).chatClient,
    content: rng.pick(LIVESTREAM_PAYER_CHAT).replace('{amount}', amount).replace('{wallet}', written),
  });
  d.finish(rng, ctx);
  return d;
}

function placeIn(rng: Rng, ctx: Ctx, d: Draft, a: AccountSpec, kind: string, value: string): void {
  const p = (a.person ??= person());
  switch (kind) {
    case 'esp-user-id':
      a.espIdentifier = value;
      a.espService = rng.pick(PRODUCT_NAMES[d.esp] ?? [d.esp]);
      break;
    case 'screen-name':
      a.screenName = value;
      break;
    case 'phone':
      p.phones.push({ text: value, type: rng.chance(0.5) ? 'Mobile' : undefined });
      break;
    case 'email':
      p.emails.push({ text: value });
      break;
    case 'device-id':
      a.devices.push({ idType: value.includes('-') ? rng.pick(['Android Advertising ID', 'IDFA']) : rng.pick(['IMEI', 'Device ID']), idValue: value });
      break;
    case 'ip':
      a.ipEvents.push({
        ip: value,
        eventName: 'Login',
        dateTime: d.clock.fmt(d.clock.before(rng, 5)),
        ...(rng.chance(0.3) ? { port: rng.int(1024, 65535) } : {}),
      });
      break;
    case 'wallet':
      d.spec.internet.push({ kind: 'chat', client: espProfile(d.esp).chatClient, content: rng.pick(PLACEHOLDER_PAYMENT_LINES).replace('{value}', value) });
      break;
  }
}

/** Puts a placeholder of `kind` into a planted report's account without displacing what is there. */
export function addPlaceholder(rng: Rng, d: Draft, a: AccountSpec, kind: string, value: string): void {
  const p = (a.person ??= person());
  switch (kind) {
    case 'esp-user-id':
      a.associated.push({
        type: 'Linked',
        espService: rng.pick(PRODUCT_NAMES[d.esp] ?? [d.esp]),
        espIdentifier: value,
        phones: [],
        emails: [],
        priorCTReports: [],
      });
      break;
    case 'screen-name':
      a.associated.push({ type: 'Other', screenName: value, phones: [], emails: [], priorCTReports: [] });
      break;
    case 'phone':
      p.phones.push({ text: value });
      break;
    case 'email':
      p.emails.push({ text: value });
      break;
    case 'device-id':
      a.devices.push({ idType: 'IMEI', idValue: value });
      break;
    default:
      a.ipEvents.push({ ip: value, eventName: 'Unknown' });
  }
  d.traps.push([`placeholder-${kind}` as TrapType, value]);
}

function worldTrapOrDecoy(rng: Rng, ctx: Ctx, slot: WorldSlot, t: number, category: Category, referral: boolean): Draft {
  const esp = slot.kind === 'id-collision' || slot.kind === 'handle-collision' ? slot.esp : undefined;
  const d = buildBackground(rng, ctx, category, t, referral, false, esp);
  const spec = d.spec;
  switch (slot.kind) {
    case 'decoy-known-severe': {
      const series = ctx.world!.series;
      spec.files = [];
      for (let i = rng.int(1, 3); i > 0; i--) {
        spec.files.push(
          fileSpec(rng, ctx, d, {
            hashes: series.draw(rng),
            video: rng.chance(0.3),
            annotations: rng.chance(0.5) ? ['infant'] : [],
            classification: rng.chance(0.8) ? 'A1' : 'A2',
            viewed: true,
          }),
        );
      }
      if (rng.chance(0.5)) spec.victims.push(childVictim(rng, 1, 8));
      if (rng.chance(0.3)) spec.priority = '1';
      break;
    }
    case 'decoy-live-viral':
      if (rng.chance(0.4)) spec.incidentType = TRAFFICKING;
      for (const f of spec.files) {
        if (f.legacyPotentialMeme) f.legacyPotentialMeme = false;
        f.annotations = [...f.annotations.filter((x) => x !== 'liveStreaming'), 'liveStreaming'];
      }
      break;
    case 'decoy-empty-escalation':
      spec.escalate = rng.pick(ESCALATION_BOILERPLATE);
      break;
    case 'placeholder':
      placeIn(rng, ctx, d, reportedOf(rng, ctx, d), slot.placeholder, slot.value);
      d.traps.push([`placeholder-${slot.placeholder}` as TrapType, slot.value]);
      break;
    case 'shared-mailbox':
      placeIn(rng, ctx, d, reportedOf(rng, ctx, d), slot.phone ? 'phone' : 'email', slot.value);
      d.traps.push(['shared-mailbox', slot.value]);
      break;
    case 'id-collision': {
      const a = reportedOf(rng, ctx, d);
      a.espIdentifier = slot.value;
      a.espService = slot.esp;
      d.traps.push(['id-collision', slot.value]);
      break;
    }
    case 'handle-collision': {
      const a = reportedOf(rng, ctx, d);
      a.screenName = slot.value;
      a.espService ??= slot.esp;
      a.person ??= person();
      a.person.lastName ??= rng.pick(PH_SURNAMES);
      d.traps.push(['handle-collision', slot.value]);
      break;
    }
    case 'ip-port-decoy': {
      const a = reportedOf(rng, ctx, d);
      d.addrs.push(slot.addr);
      a.ipEvents.push({ ip: slot.addr.ip, eventName: rng.pick(['Login', 'Upload']), dateTime: d.clock.fmt(slot.at), port: slot.port });
      d.traps.push(['ip-port-decoy', `${slot.addr.ip}|${slot.port}`]);
      break;
    }
  }
  d.finish(rng, ctx);
  return d;
}
