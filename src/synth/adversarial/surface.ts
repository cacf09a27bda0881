// The adversarial world's pass over every report after it is built: the names, labels and forms
// that real data varies (domain.md §2.5, §4.3, §7.6). Product and company names vary within one
// account system; each ESP writes its own contact block; NCMEC's and the ESP's labels are noisy;
// booleans, annotation order and country codes take the other forms the schema allows; some
// planted subjects' reports carry a placeholder too. Background reports keep the world coherent:
// only urgent reports hold new material of a child under 12.
import type { Ctx } from '../context.ts';
import { espProfile } from '../data/esps.ts';
import { COMPANY_NAMES, PLACEHOLDERS_BY_KIND, PRODUCT_NAMES, espContact } from '../data/products.ts';
import type { Slot } from '../plan.ts';
import type { Rng } from '../rng.ts';
import type { AccountSpec, ReportSpec } from '../spec.ts';
import { NOISE_CATEGORIES, URGENT_CATEGORIES, type ReportExtras } from '../truth.ts';
import type { Draft } from '../reports.ts';
import { addPlaceholder } from './build.ts';

const NON_ISO_COUNTRIES = ['A1', 'A2', 'O1', 'AP', 'EU', 'XK'] as const;
const KINDS_ON_PLANTS = ['esp-user-id', 'screen-name', 'phone', 'email', 'device-id', 'ip'] as const;

function variant(rng: Rng, esp: string): string {
  return rng.pick(PRODUCT_NAMES[esp] ?? [esp]);
}

function renameAccounts(rng: Rng, accounts: AccountSpec[], esp: string, share: number): void {
  for (const a of accounts) {
    if (a.espService === esp && rng.chance(share)) a.espService = variant(rng, esp);
    for (const x of a.associated) if (x.espService && PRODUCT_NAMES[x.espService] && rng.chance(share)) x.espService = variant(rng, x.espService);
  }
}

// Background reports: no victim under 12 and no prepubescent class on a file nobody has seen, so
// that "new material of a young child" means an urgent report in this world's truth.
function keepBackgroundCoherent(rng: Rng, ctx: Ctx, spec: ReportSpec): void {
  for (const v of [...spec.victims, ...spec.intended]) if (v.person?.age !== undefined && v.person.age < 12) v.person.age = rng.int(12, 17);
  const pooled = ctx.world!.pooled;
  for (const f of spec.files) {
    const fresh = !f.hashes.some(([, h]) => pooled.has(h)) && !f.hashDetails.some(([, h]) => pooled.has(h));
    if (fresh && (f.classification === 'A1' || f.classification === 'A2')) f.classification = f.classification === 'A1' ? 'B1' : 'B2';
  }
}

function contactBlock(rng: Rng, ctx: Ctx, d: Draft): void {
  const spec = d.spec;
  const t = ctx.world!.w.traps;
  if (!rng.chance(t.espContactShare)) return;
  const c = espContact(d.esp, espProfile(d.esp).reporterDomain);
  const r = spec.reporter;
  r.email = c.email;
  let phoneWritten = false;
  if (rng.chance(0.7)) {
    r.phone = c.phone;
    phoneWritten = true;
  }
  if (rng.chance(0.6)) r.country ??= c.country;
  if (rng.chance(0.5)) {
    r.contact = { firstName: 'Law Enforcement', lastName: 'Response', phone: c.phone, email: c.email };
    phoneWritten = true;
  }
  if (rng.chance(0.5)) {
    r.company = `${r.company ?? espProfile(d.esp).company}. Emergency requests 24/7: ${c.phone} or ${c.email}. Preservation requests are honoured for 90 days.`;
    phoneWritten = true;
  }
  // One block, one trap kind: a false link through its mailbox or its line is the same mistake.
  d.traps.push(['esp-contact', c.email]);
  if (phoneWritten) d.traps.push(['esp-contact', c.phone]);
  const a = spec.reported[0];
  if (a && rng.chance(t.espContactInPersonShare)) {
    a.person ??= { phones: [], emails: [], addresses: [] };
    a.person.emails.push({ text: c.email });
  }
}

function labelNoise(rng: Rng, ctx: Ctx, d: Draft, slot: Slot): string[] {
  const l = ctx.world!.w.labels;
  const spec = d.spec;
  const noisy: string[] = [];
  if (URGENT_CATEGORIES.has(slot.category)) {
    if (spec.referral !== false && rng.chance(l.urgentInformationalShare)) {
      spec.referral = false;
      noisy.push('informational');
    }
    if (rng.chance(l.urgentPriorityShuffleShare)) {
      const p = rng.chance(ctx.p.envelope.noPriorityShare) ? undefined : ctx.priority.draw(rng);
      if (p !== spec.priority) noisy.push('priority');
      if (p === undefined) delete spec.priority;
      else spec.priority = p;
    }
    const f = spec.files[0];
    if (slot.category === 'new-material' && f && !f.legacyPotentialMeme && rng.chance(l.urgentMemeFlagShare)) {
      f.annotations = [...f.annotations, rng.pick(['potentialMeme', 'viral'])];
      noisy.push('meme-flag');
    }
  } else if (NOISE_CATEGORIES.has(slot.category)) {
    if (slot.category === 'informational' && spec.referral === false && rng.chance(l.noiseReferralShare)) {
      spec.referral = true;
      noisy.push('referral');
    }
    if (rng.chance(l.noisePriorityOneShare)) {
      spec.priority = '1';
      noisy.push('priority');
    }
  } else if (slot.category === 'ordinary' && !slot.world && spec.files.length > 0 && rng.chance(l.memeFlagOnUniqueShare)) {
    const pooled = ctx.world!.pooled;
    const f = spec.files.find((x) => !x.legacyPotentialMeme && !x.hashes.some(([, h]) => pooled.has(h)));
    if (f) {
      f.annotations = [...f.annotations, rng.pick(['potentialMeme', 'viral'])];
      noisy.push('meme-flag');
    }
  }
  return noisy;
}

/** Applies the world's surface to a built report and says what truth should add about it. */
export function applyWorld(rng: Rng, ctx: Ctx, d: Draft, slot: Slot): ReportExtras {
  const w = ctx.world!.w;
  const spec = d.spec;
  const urgent = URGENT_CATEGORIES.has(slot.category);
  // Known severe decoys keep their young victim: the series, not the age, makes them not new.
  if (!urgent && slot.world?.kind !== 'decoy-known-severe') keepBackgroundCoherent(rng, ctx, spec);

  if (spec.platform === d.esp && rng.chance(w.names.productVariantShare)) spec.platform = variant(rng, d.esp);
  for (const list of [spec.reported, spec.intended, spec.victims]) renameAccounts(rng, list, d.esp, w.names.productVariantShare);
  if (spec.reporter.company && rng.chance(w.names.companyVariantShare)) spec.reporter.company = rng.pick(COMPANY_NAMES[d.esp] ?? [spec.reporter.company]);
  contactBlock(rng, ctx, d);

  const noisy = labelNoise(rng, ctx, d, slot);

  const subject = slot.plan?.subject ?? slot.world?.subject;
  const first = spec.reported.find((a) => a.espIdentifier || a.person) ?? spec.reported[0];
  if (subject && first && rng.chance(w.traps.placeholderOnPlantShare)) {
    const kind = rng.pick(KINDS_ON_PLANTS);
    addPlaceholder(rng, d, first, kind, rng.pick(PLACEHOLDERS_BY_KIND[kind]));
  }

  if (rng.chance(w.surface.booleanDigitShare)) spec.boolDigits = true;
  if (rng.chance(w.surface.annotationShuffleShare)) {
    rng.shuffle(spec.reportAnnotations);
    for (const f of spec.files) rng.shuffle(f.annotations);
  }
  const hinted = slot.world?.kind === 'foreign-phone';
  if (!hinted && spec.country === 'PH' && rng.chance(w.surface.nonIsoCountryShare)) spec.country = rng.pick(NON_ISO_COUNTRIES);

  const cluster = slot.category === 'livestream' || slot.category === 'sextortion' ? subject?.id : undefined;
  return {
    ...(slot.world ? { scenario: slot.world.scenario } : {}),
    ...(cluster ? { cluster } : {}),
    ...(noisy.length > 0 ? { labelNoise: noisy } : {}),
  };
}
