// Worlds: the standard stream (today's generator, byte for byte) and worlds that write the same
// kind of data the way real NCMEC data arrives (docs/generator.md "Worlds"). A world is a file of
// two parts: `params` overlays the standard parameters (rates of the stream itself), `world`
// holds the rates of what only that world plants (product names, placeholders in every kind,
// label noise, decoys, clock conventions...). Both are validated like the standard parameters.
import { existsSync, readFileSync } from 'node:fs';
import { ADVERSARIAL_WORLD } from './worlds/adversarial.ts';
import { WORLD_NAMES } from './names.ts';
import { overlay, shapeErrors, loadParams, type DeepPartial, type SynthParams } from './params.ts';
import { badInput } from '../model/error.ts';

/** Rates of what an adversarial world plants on top of the standard stream (all per 10,000 reports or shares 0–1). */
export interface WorldParams {
  /** How product and company names are written (domain.md §7.6 account namespaces). */
  names: {
    /** Share of platform / espService writings that use another product name of the same account system. */
    productVariantShare: number;
    /** Share of companyTemplate writings that use a variant of the company name. */
    companyVariantShare: number;
  };
  /** Subjects whose reports link only through the forms this world tests (true links). */
  subjects: {
    /** Subjects seen only through one account written under product names or as a profile URL. */
    accountOnlyPer10k: number;
    accountOnlyReportsMin: number;
    accountOnlyReportsMax: number;
    /** Share of those reports that write the account only as a profile URL. */
    profileUrlOnlyShare: number;
    /** Pairs of reports on two ESPs linked only by one IP address, port and time (seconds apart). */
    ipPortTimeOnlyPer10k: number;
    /** Subjects abroad whose mobile number is written in national form on some reports. */
    foreignPhonePer10k: number;
    foreignPhoneReportsMin: number;
    foreignPhoneReportsMax: number;
    /** Countries of those subjects. */
    foreignPhoneCountries: Record<string, number>;
    /** Where a report carries its country (the default region of a national number), or none. */
    phoneHintMix: Record<string, number>;
  };
  /** Urgent reports in forms the standard world does not use. */
  urgent: {
    /** New material of a child under 12 with no escalation and quiet labels (a case each). */
    newMaterialQuietPer10k: number;
    /** Sextortion of a minor described only in chat text (cases; 1–2 reports each). */
    sextortionChatOnlyPer10k: number;
    /** Extra sparse reports per livestream cluster: a payer's report whose only tie is the facilitator's wallet or account. */
    livestreamSparsePerCluster: number;
  };
  /** Reports that look urgent by one label but are not. */
  decoys: {
    /** Infant / A1 files whose hashes are on the world's identified-series list. */
    knownSeverePer10k: number;
    /** Livestream annotations and incident types on recirculating meme files. */
    liveOnViralPer10k: number;
    /** Noise reports with an ESP escalation whose text is empty or boilerplate. */
    emptyEscalationPer10k: number;
  };
  /** Values unrelated reports share (false-link traps, each with its kind in truth). */
  traps: {
    /** Trap reports per placeholder kind (user id, screen name, phone, e-mail, device, IP, wallet). */
    placeholderPer10kPerKind: number;
    /** Share of planted subjects' reports that also carry a placeholder somewhere. */
    placeholderOnPlantShare: number;
    /** Reports writing a shared shop or school mailbox or line; reports per value. */
    sharedMailboxPer10k: number;
    sharedMailboxReportsMin: number;
    sharedMailboxReportsMax: number;
    /** Pairs of unrelated people whose numeric ids are equal in two different account systems. */
    idCollisionPer10k: number;
    /** Pairs of unrelated people with the same screen name on two different services. */
    handleCollisionPer10k: number;
    /** Pairs of unrelated reports on one CGNAT address and port, minutes apart. */
    ipPortDecoyPer10k: number;
    ipPortDecoyMinutesMin: number;
    ipPortDecoyMinutesMax: number;
    /** Share of an ESP's reports that carry its own contact block (mailbox, line, company text). */
    espContactShare: number;
    /** Share of reports where the ESP also writes its contact mailbox as the user's e-mail. */
    espContactInPersonShare: number;
  };
  /** Label noise (domain.md §2.5, §7.6: labels are applied inconsistently). */
  labels: {
    /** Share of urgent reports NCMEC marked informational. */
    urgentInformationalShare: number;
    /** Share of informational-category noise NCMEC marked referral. */
    noiseReferralShare: number;
    /** Share of urgent reports whose NCMEC priority is drawn like any report's. */
    urgentPriorityShuffleShare: number;
    /** Share of noise reports NCMEC gave priority 1. */
    noisePriorityOneShare: number;
    /** Share of ordinary reports with a potentialMeme / viral flag on a file nobody else has. */
    memeFlagOnUniqueShare: number;
    /** Share of urgent new-material reports with such a flag. */
    urgentMemeFlagShare: number;
  };
  /** ESP clocks (domain.md §7.6: UTC, offsets, local without a zone). */
  clocks: {
    /** How each ESP writes times: drawn once per ESP from this mix. */
    conventionMix: Record<string, number>;
    /** Share of an ESP's reports that follow its convention (the rest draw another). */
    consistencyShare: number;
    /** Each ESP's clock is off by up to this many seconds (drawn once per ESP, either sign). */
    maxSkewSeconds: number;
  };
  /** Surface forms the XSD allows (domain.md §4.3). */
  surface: {
    /** Share of reports writing xs:boolean values as 1 / 0. */
    booleanDigitShare: number;
    /** Share of reports listing annotations in another order (xs:all). */
    annotationShuffleShare: number;
    /** Share of reports whose routed country is a non-ISO code (A1, A2, O1, AP, EU, XK). */
    nonIsoCountryShare: number;
  };
}

/** A world file: parameters of the stream and the world's own rates. */
export interface WorldFile {
  name: string;
  description: string;
  params: DeepPartial<SynthParams>;
  world: WorldParams;
}

/** A resolved world: its name, the stream parameters and (for a non-standard world) its own rates. */
export interface World {
  name: string;
  params: DeepPartial<SynthParams>;
  world?: WorldParams;
}

export { WORLD_NAMES };

const OPEN = new Set(['subjects.foreignPhoneCountries', 'subjects.phoneHintMix', 'clocks.conventionMix']);
const CONVENTIONS = new Set(['utc', 'offset', 'zoneless']);
const HINTS = new Set(['routed-country', 'esp-location', 'reporter-country', 'ip-country', 'none']);

/** Validates a world file's JSON; throws one readable error listing every problem. */
export function loadWorld(json: unknown): WorldFile {
  const errors: string[] = [];
  const o = (typeof json === 'object' && json !== null && !Array.isArray(json) ? json : {}) as Record<string, unknown>;
  if (typeof o.name !== 'string' || o.name === '') errors.push('name: expected a non-empty string');
  if (o.description !== undefined && typeof o.description !== 'string') errors.push('description: expected a string');
  for (const k of Object.keys(o))
    if (!['name', 'description', 'params', 'world'].includes(k)) errors.push(`${k}: unknown key (expected one of: description, name, params, world)`);
  try {
    loadParams(o.params ?? {});
  } catch (e) {
    errors.push(
      ...(e as Error).message
        .split('\n')
        .slice(1)
        .map((l) => `params.${l.trim()}`),
    );
  }
  errors.push(...shapeErrors(o.world ?? {}, ADVERSARIAL_WORLD.world, OPEN).map((e) => `world.${e}`));
  const w = overlay(ADVERSARIAL_WORLD.world, (o.world ?? {}) as DeepPartial<WorldParams>);
  for (const k of Object.keys(w.clocks.conventionMix))
    if (!CONVENTIONS.has(k)) errors.push(`world.clocks.conventionMix.${k}: expected one of utc, offset, zoneless`);
  for (const k of Object.keys(w.subjects.phoneHintMix))
    if (!HINTS.has(k)) errors.push(`world.subjects.phoneHintMix.${k}: expected one of ${[...HINTS].join(', ')}`);
  if (w.traps.sharedMailboxReportsMax < w.traps.sharedMailboxReportsMin) errors.push('world.traps.sharedMailboxReportsMax must be >= sharedMailboxReportsMin');
  if (w.traps.ipPortDecoyMinutesMax < w.traps.ipPortDecoyMinutesMin) errors.push('world.traps.ipPortDecoyMinutesMax must be >= ipPortDecoyMinutesMin');
  if (errors.length > 0) throw badInput('BAD_FILE', `invalid world file:\n  ${errors.join('\n  ')}`);
  return { name: o.name as string, description: (o.description as string | undefined) ?? '', params: (o.params ?? {}) as DeepPartial<SynthParams>, world: w };
}

/** The world a name or file names: 'standard', 'adversarial', or a path to a world JSON file. */
export function resolveWorld(nameOrFile: string | undefined): World {
  if (nameOrFile === undefined || nameOrFile === 'standard') return { name: 'standard', params: {} };
  if (nameOrFile === 'adversarial') return { name: 'adversarial', params: ADVERSARIAL_WORLD.params, world: ADVERSARIAL_WORLD.world };
  if (!existsSync(nameOrFile))
    throw badInput('BAD_OPTION', `unknown world ${JSON.stringify(nameOrFile)}: expected ${WORLD_NAMES.join(' or ')}, or a world JSON file`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(nameOrFile, 'utf8'));
  } catch (e) {
    throw badInput('BAD_FILE', `cannot read world file ${nameOrFile}: ${(e as Error).message}`);
  }
  const f = loadWorld(parsed);
  return { name: f.name, params: f.params, world: f.world };
}
