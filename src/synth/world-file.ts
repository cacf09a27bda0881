// The shape of a world file (world.ts reads and checks one): apart from world.ts, so that a
// built-in world (worlds/adversarial.ts), which world.ts imports, can name its type.
import type { DeepPartial, SynthParams } from './params.ts';

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
