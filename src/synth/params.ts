// Every tunable of the synthetic stream, with defaults from domain.md §12 (and the sections it cites).
// docs/generator.md lists each one with its basis.
import { PROVINCES } from './data/provinces.ts';
import { badInput } from '../model/error.ts';

/** The eight incident types, spelt exactly as NCMEC's XSD enumerates them. */
export const INCIDENT_TYPES = [
  'Child Pornography (possession, manufacture, and distribution)',
  'Online Enticement of Children for Sexual Acts',
  'Unsolicited Obscene Material Sent to a Child',
  'Child Sexual Molestation',
  'Child Sex Trafficking',
  'Misleading Words or Digital Images on the Internet',
  'Misleading Domain Name',
  'Child Sex Tourism',
] as const;

/** One of the eight incident types. */
export type IncidentType = (typeof INCIDENT_TYPES)[number];

/** The ways a Philippine mobile number gets written (domain.md §8). */
export const PHONE_FORMATS = ['local', 'local-spaced', 'intl-spaced', 'e164', 'intl-no-plus', 'national', 'paren', 'dashed'] as const;

/** One written form of a PH mobile number. */
export type PhoneFormat = (typeof PHONE_FORMATS)[number];

/** Presence rates of optional report fields (domain.md §4.1: anything but type and time may be missing). */
export interface SparseParams {
  platform: number;
  espService: number;
  reporterEmail: number;
  reporterName: number;
  timeDescription: number;
  reportedPerson: number;
  name: number;
  phone: number;
  email: number;
  age: number;
  address: number;
  espIdentifier: number;
  screenName: number;
  displayName: number;
  profileUrl: number;
  ipEvents: number;
  deviceId: number;
  estimatedLocation: number;
  accountDisabled: number;
  associatedAccount: number;
  groupIdentifier: number;
  victim: number;
  internetDetails: number;
  additionalInfo: number;
  uploadTimestamp: number;
  originalFileName: number;
  fileIpEvent: number;
  /** Multiplier applied to the rates above on informational reports, which carry less. */
  informationalFactor: number;
}

/** The dimensions a planted spike can raise. */
export const SPIKE_DIMENSIONS = ['esp', 'incidentType', 'province'] as const;

/**
 * A planted spike: over `days` days from `start` (YYYY-MM-DD, UTC), reports of one ESP, incident type
 * or province (PSGC code) arrive at `factor` times their usual rate; the extra reports replace
 * ordinary background reports, so the stream keeps its size.
 */
export interface SpikeParam {
  dimension: (typeof SPIKE_DIMENSIONS)[number];
  value: string;
  start: string;
  days: number;
  factor: number;
}

/** All generator parameters. */
export interface SynthParams {
  /** Planted spikes for the trends detector's tests (default none). */
  spikes: SpikeParam[];
  /** Shares of the eight incident types among background reports (domain.md §2.4, §12.1). */
  incidentMix: Record<IncidentType, number>;
  esps: {
    /** Report shares by ESP name (domain.md §2.3). */
    mix: Record<string, number>;
    /** Share of IP capture events that carry a source port, by ESP (domain.md §7.2). */
    portShare: Record<string, number>;
    /** Port share for an ESP missing from `portShare`. */
    defaultPortShare: number;
  };
  /** Share of all reports NCMEC marks informational, referral="false" (domain.md §2.5). */
  informationalShare: number;
  viral: {
    /** Share of reports that are `VIRAL_POTENTIAL_MEME` batches (domain.md §2.6: 25–30%). */
    batchShare: number;
    /** Share of reports on a viral or meme file that the ESP did not batch. */
    unbatchedShare: number;
    /** How many distinct meme files recirculate (each with its MD5, SHA1, SHA256, PDQ). */
    memeHashCount: number;
    /** Zipf exponent of meme popularity: a few files dominate. */
    memeZipf: number;
    /** Share of viral reports NCMEC makes informational. */
    informationalShare: number;
    /** Share of viral files that carry potentialMeme / viral annotations. */
    annotatedShare: number;
  };
  files: {
    /** Mean files per ordinary report (geometric, at least one). */
    meanPerReport: number;
    maxPerReport: number;
    /** Share of files that are videos. */
    videoShare: number;
    /** Share of photos / videos whose hash is unique (domain.md §2.6, §12.1 file novelty). */
    photoUniqueShare: number;
    videoUniqueShare: number;
    /** Size of the pool of recirculating known (non-meme) files, per 10,000 reports. */
    knownPoolPer10k: number;
    /** Share of photos that carry a PDQ hash. */
    pdqShare: number;
    /** Share of files with a `details type="HASH"` block. */
    hashDetailsShare: number;
    /** Share of files the ESP viewed (domain.md §4.4). */
    viewedByEspShare: number;
    /** Share of files with an industryClassification (A1, A2, B1, B2). */
    industryClassificationShare: number;
    /** Share of files with a publiclyAvailable flag. */
    publicFlagShare: number;
    /** Share of photos with a `details type="EXIF"` block. */
    exifShare: number;
  };
  /** Presence rates of optional fields. */
  sparse: SparseParams;
  ip: {
    /** Mean IP capture events per reported user that has any. */
    eventsMean: number;
    /** Shares of address kinds among background events; the rest are fixed broadband. */
    mobileShare: number;
    vpnShare: number;
    relayShare: number;
    publicDnsShare: number;
    foreignShare: number;
    /** Share of mobile events written as IPv6. */
    ipv6Share: number;
    /** Number of PH mobile public addresses; 0 derives it from cgnatUsersPerAddress. */
    cgnatPoolSize: number;
    /** Target reports per CGNAT address when the pool size is derived (domain.md §7.2, §12.1). */
    cgnatUsersPerAddress: number;
    /** Share of mobile events leaking an RFC 6598 100.64.0.0/10 address. */
    cgnatInternalShare: number;
    cgnatInternalPoolSize: number;
    /** Number of distinct VPN / relay egress addresses in use. */
    vpnPoolSize: number;
    /** Share of VPN / relay events the ESP flags possibleProxy. */
    proxyFlagShare: number;
    /** Share of offenders who use anonymisers, and of their events that go through one (domain.md §7.3, §12.1). */
    offenderAnonymisedShare: number;
    offenderAnonymisedEventShare: number;
  };
  phones: {
    /** How PH mobile numbers are written (domain.md §8). */
    formatMix: Record<PhoneFormat, number>;
    /** Share of phones written with a countryCallingCode attribute. */
    countryCallingCodeShare: number;
    verifiedShare: number;
  };
  /** UTC offsets report times are written in ('Z' or '±HH:MM'). */
  timeZoneMix: Record<string, number>;
  /** Share of reports whose times carry milliseconds. */
  fractionalSecondsShare: number;
  /** Where reported people live: PSGC code to weight (default: approximate population). */
  provinceWeights: Record<string, number>;
  envelope: {
    /** NCMEC priority as written (domain.md §4.1: mostly 1–3, codes like "E" unverified). */
    priorityMix: Record<string, number>;
    /** Share of reports without a priority attribute. */
    noPriorityShare: number;
    /** Share of reports routed with no country (domain.md §2.3, §7.5: about 5%). */
    noCountryShare: number;
    /** Of those, the share written as country="" rather than omitted. */
    emptyCountryShare: number;
    /** Share of reports with an ipLookup for their addresses. */
    ipLookupShare: number;
  };
  /** Target share of urgent reports (domain.md §12.1: 0.1–0.5%, NCMEC about 0.18%). */
  urgentShare: number;
  plants: {
    /** Offender subjects per 10,000 reports, and reports each. */
    offendersPer10k: number;
    offenderReportsMin: number;
    offenderReportsMax: number;
    /** Livestream facilitator clusters per 10,000 reports (domain.md §12.2). */
    livestreamClustersPer10k: number;
    livestreamReportsMin: number;
    livestreamReportsMax: number;
    /** Victims per cluster, and the share that are infants. */
    livestreamVictimsMax: number;
    infantShare: number;
    /** Share of facilitators who are an adult female relative (domain.md §12.2: about 80%). */
    femaleRelativeShare: number;
    payersMin: number;
    payersMax: number;
    /** Sextortion cases per 10,000 reports, reports per case, offender countries (domain.md §3). */
    sextortionCasesPer10k: number;
    sextortionReportsMax: number;
    sextortionOffenderCountries: Record<string, number>;
    /** Of the urgent budget left after livestream and sextortion: the imminent share (rest: new material). */
    imminentShareOfRest: number;
    /** Share of imminent reports that escalate an existing offender. */
    imminentExistingOffenderShare: number;
    /** Trap reports per 10,000 reports, by kind (domain.md §7). */
    emptyHashPer10k: number;
    placeholderPer10k: number;
    hubEmailPer10k: number;
    vpnIpPer10k: number;
    publicDnsPer10k: number;
    /** Minimum stream size at which each plant kind appears at least once. */
    minReportsForEveryPlant: number;
  };
  resend: {
    /** Share of reports re-sent later with changed content (a new version, domain.md §4.1). */
    versionShare: number;
    /** Share of reports re-sent unchanged (exact duplicates). */
    duplicateShare: number;
    minDelayHours: number;
    maxDelayHours: number;
  };
  output: {
    /** Share of reports written one to a file with a `<cybertipReport>` root. */
    singleShare: number;
    /** Share of reports written as a bare ISPWS `<report>` named `<reportId>.xml`. */
    bareShare: number;
    /** Share of files gzip-compressed. */
    gzipShare: number;
    batchMin: number;
    batchMax: number;
    gzipLevel: number;
  };
  payments: {
    /** Days of transactions before the report stream starts. */
    lookbackDays: number;
    /** Sender countries of offending payers (domain.md §12.3: US 50, AU 7.4, UK 6.8...). */
    senderCountryMix: Record<string, number>;
    /** Concentration: this share of payers makes `prolificTransferShare` of transfers (AIC 589). */
    prolificPayerShare: number;
    prolificTransferShare: number;
    /** Mean transfers of an ordinary payer over the window. */
    meanTransfersPerPayer: number;
    /** Share of offending transfers sent 22:00–05:00 sender-local (FATF). */
    nightShare: number;
    /** Share of offending amounts that are round. */
    roundShare: number;
    /** Offending amounts, in USD-equivalent (FATF €10–200; AUSTRAC A$10–100). */
    amountMinUsd: number;
    amountMaxUsd: number;
    /** Rare larger payments, US$200–390. */
    rareHighShare: number;
    /** Share of payers who pay two or more facilitators (fan-out). */
    fanOutShare: number;
    /** Sextortion: payments per victim and the first / total caps in EUR (FATF). */
    sextortionPaymentsMin: number;
    sextortionPaymentsMax: number;
    sextortionFirstMaxEur: number;
    sextortionTotalMaxEur: number;
    /** Ordinary traffic mix by flow kind. */
    ordinaryMix: Record<'family' | 'freelance' | 'domestic' | 'charity' | 'romance', number>;
    /** Share of family senders that are hard negatives (one or two indicators). */
    hardNegativeShare: number;
    /** Typical monthly family remittance, USD (domain.md §9.4). */
    familyMonthlyUsd: number;
    /** Share of rows that record amount_php. */
    amountPhpShare: number;
  };
}

/** A partial of T at every depth. */
export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

const provinceWeights: Record<string, number> = {};
for (const p of PROVINCES) provinceWeights[p.code] = p.weight;

/** The defaults: domain.md §12 planning values. */
export const defaultParams: SynthParams = {
  spikes: [],
  incidentMix: {
    'Child Pornography (possession, manufacture, and distribution)': 0.99206,
    'Online Enticement of Children for Sexual Acts': 0.005,
    'Unsolicited Obscene Material Sent to a Child': 0.0013,
    'Child Sexual Molestation': 0.0005,
    'Child Sex Trafficking': 0.0005,
    'Misleading Words or Digital Images on the Internet': 0.0004,
    'Misleading Domain Name': 0.00018,
    'Child Sex Tourism': 0.00006,
  },
  esps: {
    mix: {
      Facebook: 49.3,
      Instagram: 31.6,
      WhatsApp: 3.8,
      Google: 4.1,
      X: 2.4,
      Snapchat: 2.0,
      TikTok: 1.6,
      Discord: 0.9,
      Reddit: 0.8,
      Omegle: 0.5,
      Microsoft: 1.0,
      Telegram: 0.6,
      'Bigo Live': 0.5,
      Kumu: 0.5,
      Yahoo: 0.4,
    },
    portShare: {
      Facebook: 0.85,
      Instagram: 0.85,
      WhatsApp: 0.6,
      Google: 0,
      X: 0.3,
      Snapchat: 0.5,
      TikTok: 0.4,
      Discord: 0.7,
      Reddit: 0.2,
      Omegle: 0,
      Microsoft: 0.3,
      Telegram: 0,
      'Bigo Live': 0.2,
      Kumu: 0.2,
      Yahoo: 0.1,
    },
    defaultPortShare: 0.2,
  },
  informationalShare: 0.5,
  viral: {
    batchShare: 0.27,
    unbatchedShare: 0.04,
    memeHashCount: 24,
    memeZipf: 1.1,
    informationalShare: 0.8,
    annotatedShare: 0.75,
  },
  files: {
    meanPerReport: 4,
    maxPerReport: 40,
    videoShare: 0.3,
    photoUniqueShare: 0.57,
    videoUniqueShare: 0.38,
    knownPoolPer10k: 400,
    pdqShare: 0.6,
    hashDetailsShare: 0.7,
    viewedByEspShare: 0.55,
    industryClassificationShare: 0.3,
    publicFlagShare: 0.3,
    exifShare: 0.15,
  },
  sparse: {
    platform: 0.93,
    espService: 0.8,
    reporterEmail: 0.75,
    reporterName: 0.4,
    timeDescription: 0.3,
    reportedPerson: 0.92,
    name: 0.35,
    phone: 0.3,
    email: 0.55,
    age: 0.15,
    address: 0.05,
    espIdentifier: 0.85,
    screenName: 0.7,
    displayName: 0.5,
    profileUrl: 0.3,
    ipEvents: 0.8,
    deviceId: 0.1,
    estimatedLocation: 0.45,
    accountDisabled: 0.5,
    associatedAccount: 0.04,
    groupIdentifier: 0.04,
    victim: 0.12,
    internetDetails: 0.1,
    additionalInfo: 0.25,
    uploadTimestamp: 0.7,
    originalFileName: 0.3,
    fileIpEvent: 0.15,
    informationalFactor: 0.35,
  },
  ip: {
    eventsMean: 2,
    mobileShare: 0.62,
    vpnShare: 0.05,
    relayShare: 0.02,
    publicDnsShare: 0.005,
    foreignShare: 0.03,
    ipv6Share: 0.06,
    cgnatPoolSize: 0,
    cgnatUsersPerAddress: 300,
    cgnatInternalShare: 0.01,
    cgnatInternalPoolSize: 24,
    vpnPoolSize: 40,
    proxyFlagShare: 0.6,
    offenderAnonymisedShare: 1 / 6,
    offenderAnonymisedEventShare: 0.12,
  },
  phones: {
    formatMix: {
      local: 0.3,
      'local-spaced': 0.1,
      'intl-spaced': 0.1,
      e164: 0.2,
      'intl-no-plus': 0.1,
      national: 0.08,
      paren: 0.06,
      dashed: 0.06,
    },
    countryCallingCodeShare: 0.15,
    verifiedShare: 0.4,
  },
  timeZoneMix: { '+08:00': 0.45, Z: 0.35, '-08:00': 0.12, '-05:00': 0.05, '-07:00': 0.03 },
  fractionalSecondsShare: 0.2,
  provinceWeights,
  envelope: {
    priorityMix: { '1': 0.03, '2': 0.27, '3': 0.62, E: 0.04, '4': 0.03, '0': 0.01 },
    noPriorityShare: 0.05,
    noCountryShare: 0.05,
    emptyCountryShare: 0.5,
    ipLookupShare: 0.85,
  },
  urgentShare: 0.0025,
  plants: {
    offendersPer10k: 8,
    offenderReportsMin: 2,
    offenderReportsMax: 8,
    livestreamClustersPer10k: 2,
    livestreamReportsMin: 2,
    livestreamReportsMax: 6,
    livestreamVictimsMax: 5,
    infantShare: 0.15,
    femaleRelativeShare: 0.8,
    payersMin: 1,
    payersMax: 20,
    sextortionCasesPer10k: 3,
    sextortionReportsMax: 3,
    sextortionOffenderCountries: { NG: 0.45, CI: 0.25, PH: 0.3 },
    imminentShareOfRest: 0.4,
    imminentExistingOffenderShare: 0.5,
    emptyHashPer10k: 10,
    placeholderPer10k: 20,
    hubEmailPer10k: 20,
    vpnIpPer10k: 15,
    publicDnsPer10k: 10,
    minReportsForEveryPlant: 200,
  },
  resend: {
    versionShare: 0.01,
    duplicateShare: 0.005,
    minDelayHours: 24,
    maxDelayHours: 96,
  },
  output: {
    singleShare: 0.1,
    bareShare: 0.03,
    gzipShare: 0.2,
    batchMin: 100,
    batchMax: 500,
    gzipLevel: 6,
  },
  payments: {
    lookbackDays: 60,
    senderCountryMix: {
      US: 50,
      AU: 7.4,
      GB: 6.8,
      CA: 6,
      SA: 4,
      DE: 4,
      JP: 3.5,
      SG: 3,
      FR: 3,
      NL: 3,
      SE: 2,
      NO: 2,
      CH: 2,
      IT: 3.3,
    },
    prolificPayerShare: 0.03,
    prolificTransferShare: 0.5,
    meanTransfersPerPayer: 3,
    nightShare: 0.8,
    roundShare: 0.75,
    amountMinUsd: 10,
    amountMaxUsd: 200,
    rareHighShare: 0.03,
    fanOutShare: 0.15,
    sextortionPaymentsMin: 2,
    sextortionPaymentsMax: 5,
    sextortionFirstMaxEur: 250,
    sextortionTotalMaxEur: 1500,
    ordinaryMix: { family: 0.45, freelance: 0.2, domestic: 0.3, charity: 0.03, romance: 0.02 },
    hardNegativeShare: 0.08,
    familyMonthlyUsd: 400,
    amountPhpShare: 0.7,
  },
};

// Maps whose keys are data (ESP names, countries, codes), not fixed fields: a user may add keys.
const OPEN_MAPS = new Set([
  'esps.mix',
  'esps.portShare',
  'timeZoneMix',
  'provinceWeights',
  'envelope.priorityMix',
  'plants.sextortionOffenderCountries',
  'payments.senderCountryMix',
]);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function mergeInto(target: Record<string, unknown>, patch: Record<string, unknown>): void {
  for (const key of Object.keys(patch)) {
    const pv = patch[key];
    if (pv === undefined) continue;
    const tv = target[key];
    if (isPlainObject(tv) && isPlainObject(pv)) mergeInto(tv, pv);
    else target[key] = pv;
  }
}

/** A copy of `base` overlaid with a partial at every depth; maps merge key by key. */
export function overlay<T extends object>(base: T, partial?: DeepPartial<T>): T {
  const out = structuredClone(base);
  if (partial) mergeInto(out as unknown as Record<string, unknown>, structuredClone(partial) as Record<string, unknown>);
  return out;
}

/** Defaults overlaid with a partial; maps merge key by key (give a key weight 0 to drop it). */
export function mergeParams(partial?: DeepPartial<SynthParams>): SynthParams {
  return overlay(defaultParams, partial);
}

const TZ_RE = /^(Z|[+-](0\d|1[0-4]):[0-5]\d)$/;

function checkNumber(path: string, key: string, v: unknown, errors: string[]): void {
  if (typeof v !== 'number' || !Number.isFinite(v)) {
    errors.push(`${path}: expected a number, got ${v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v}`);
    return;
  }
  if (v < 0) errors.push(`${path}: must not be negative (got ${v})`);
  if (/Share$|^informationalShare$/.test(key) && v > 1) errors.push(`${path}: a share must be between 0 and 1 (got ${v})`);
}

function checkSpikes(value: unknown, errors: string[]): void {
  if (!Array.isArray(value)) return void errors.push('spikes: expected a list of {dimension, value, start, days, factor}');
  value.forEach((s: unknown, i) => {
    const at = `spikes[${i}]`;
    if (!isPlainObject(s)) return void errors.push(`${at}: expected an object`);
    for (const k of Object.keys(s))
      if (!['dimension', 'value', 'start', 'days', 'factor'].includes(k))
        errors.push(`${at}.${k}: unknown key (expected one of: days, dimension, factor, start, value)`);
    if (!(SPIKE_DIMENSIONS as readonly unknown[]).includes(s.dimension)) errors.push(`${at}.dimension: one of ${SPIKE_DIMENSIONS.join(', ')}`);
    if (typeof s.value !== 'string' || s.value.trim() === '') errors.push(`${at}.value: the ESP name, incident type or PSGC province code`);
    else if (s.dimension === 'esp' && !(s.value in defaultParams.esps.mix)) errors.push(`${at}.value: not an ESP in esps.mix`);
    else if (s.dimension === 'incidentType' && !(s.value in defaultParams.incidentMix)) errors.push(`${at}.value: not one of the eight incident types`);
    else if (s.dimension === 'province' && !(s.value in defaultParams.provinceWeights))
      errors.push(`${at}.value: not a PSGC province code the generator knows`);
    if (typeof s.start !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(s.start) || Number.isNaN(Date.parse(`${s.start}T00:00:00Z`)))
      errors.push(`${at}.start: a date such as 2026-01-20`);
    if (typeof s.days !== 'number' || !Number.isInteger(s.days) || s.days < 1) errors.push(`${at}.days: a whole number of days, at least 1`);
    if (typeof s.factor !== 'number' || !Number.isFinite(s.factor) || s.factor <= 1) errors.push(`${at}.factor: a rate multiplier above 1`);
  });
}

function walk(path: string, value: unknown, shape: unknown, errors: string[], openMaps: ReadonlySet<string>): void {
  if (path === 'spikes') return checkSpikes(value, errors);
  if (isPlainObject(shape)) {
    if (!isPlainObject(value)) {
      errors.push(`${path || 'params'}: expected an object, got ${Array.isArray(value) ? 'an array' : value === null ? 'null' : typeof value}`);
      return;
    }
    const open = openMaps.has(path);
    for (const key of Object.keys(value)) {
      const sub = path ? `${path}.${key}` : key;
      if (open) {
        checkNumber(sub, path.endsWith('Share') ? 'valueShare' : key, value[key], errors);
        if (path === 'timeZoneMix' && !TZ_RE.test(key)) errors.push(`${sub}: a time zone is 'Z' or '+HH:MM' / '-HH:MM'`);
        if (path === 'provinceWeights' && !(key in defaultParams.provinceWeights)) errors.push(`${sub}: not a PSGC province code the generator knows`);
        continue;
      }
      if (!(key in shape)) {
        const known = Object.keys(shape).sort().join(', ');
        errors.push(`${sub}: unknown key (expected one of: ${known})`);
        continue;
      }
      walk(sub, value[key], shape[key], errors, openMaps);
    }
    return;
  }
  const key = path.slice(path.lastIndexOf('.') + 1);
  checkNumber(path, key, value, errors);
}

/**
 * Every problem of a parameter JSON against the shape of its defaults: unknown keys, wrong types,
 * negative numbers, shares outside 0–1. Keys of the maps in `openMaps` (dotted paths) are data.
 */
export function shapeErrors(json: unknown, shape: object, openMaps: ReadonlySet<string>): string[] {
  const errors: string[] = [];
  walk('', json, shape, errors, openMaps);
  return errors;
}

/** Validates a user's parameter JSON; throws one readable error listing every problem. */
export function loadParams(json: unknown): DeepPartial<SynthParams> {
  const errors = shapeErrors(json, defaultParams, OPEN_MAPS);
  if (errors.length > 0) throw badInput('BAD_OPTION', `invalid generator parameters:\n  ${errors.join('\n  ')}`);
  const merged = mergeParams(json as DeepPartial<SynthParams>);
  const b = merged.output;
  if (b.batchMin < 1 || b.batchMax < b.batchMin)
    throw badInput('BAD_OPTION', 'invalid generator parameters:\n  output.batchMin must be >= 1 and <= output.batchMax');
  return json as DeepPartial<SynthParams>;
}
