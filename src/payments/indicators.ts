// What one payment record shows on its own (domain.md §9.3), as bit flags on a compact row:
// corridor, sender-local night, round amount, purpose words, channel, family-name tie,
// organisation names. Per-party features (src/payments/features.ts) aggregate these flags.

import { isOrgName, shareFamilyName } from '../ingest/transactions/parties.ts';

/** Row flags (a Uint16 per transaction). */
export const F = {
  ROUND: 1 << 0,
  NIGHT: 1 << 1,
  KEYWORD: 1 << 2,
  HANDLE: 1 << 3,
  WORK: 1 << 4,
  FAMILY: 1 << 5,
  FOREIGN: 1 << 6,
  CORRIDOR: 1 << 7,
  RISK_CHANNEL: 1 << 8,
  SX_CHANNEL: 1 << 9,
  SX_DEST: 1 << 10,
  SENDER_ORG: 1 << 11,
  RECEIVER_ORG: 1 << 12,
  BAND: 1 << 13,
  EWALLET: 1 << 14,
} as const;

/** Countries whose residents are most of the paying customers (F7; AMLC, FINTRAC). */
export const DEMAND_COUNTRIES = new Set([
  'US',
  'AU',
  'GB',
  'UK',
  'CA',
  'DE',
  'SA',
  'JP',
  'SG',
  'FR',
  'NL',
  'SE',
  'NO',
  'CH',
  'IT',
  'NZ',
  'IE',
  'BE',
  'AT',
  'DK',
  'FI',
  'ES',
  'KR',
]);
/** Countries where payments for livestreamed abuse are received (F7). */
export const DESTINATION_COUNTRIES = new Set(['PH', 'TH', 'CO', 'DO', 'MX', 'GH', 'UA', 'RO', 'JM', 'RU']);
/** Where sextortion receivers are (F17; FATF, FBI). */
export const SEXTORTION_DESTINATIONS = new Set(['NG', 'CI', 'PH']);

// Usual UTC offsets (minutes) of sending countries: a time written in the provider's zone
// (+08:00 by a Philippine payout agent) is brought to the sender's local clock for F8.
const LOCAL_OFFSETS: Record<string, number[]> = {
  PH: [480],
  US: [-300, -360, -420, -480, -240],
  CA: [-300, -360, -420, -480, -240, -210],
  AU: [600, 660, 570, 630, 480],
  GB: [0, 60],
  UK: [0, 60],
  IE: [0, 60],
  DE: [60, 120],
  FR: [60, 120],
  NL: [60, 120],
  IT: [60, 120],
  ES: [60, 120],
  BE: [60, 120],
  AT: [60, 120],
  CH: [60, 120],
  SE: [60, 120],
  NO: [60, 120],
  DK: [60, 120],
  FI: [120, 180],
  SA: [180],
  AE: [240],
  QA: [180],
  KW: [180],
  JP: [540],
  KR: [540],
  SG: [480],
  HK: [480],
  NZ: [720, 780],
  NG: [60],
  CI: [0],
};

/** The sender-local hour of a record: its own offset when usual for the sender's country, else the country's first. */
export function senderLocalHour(tsMs: number, offsetMin: number, senderCountry: string | null): number {
  const usual = senderCountry ? LOCAL_OFFSETS[senderCountry] : undefined;
  const off = usual && !usual.includes(offsetMin) ? usual[0]! : offsetMin;
  const local = tsMs + off * 60_000;
  return Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000);
}

/** The thresholds and word lists the row flags use (agencies may tune them). */
export interface IndicatorParams {
  /** F1: amount band in US$ equivalent. */
  bandMinUsd: number;
  bandMaxUsd: number;
  /** F8: night starts at this hour and ends before `nightEnd` (sender-local). */
  nightStart: number;
  nightEnd: number;
  /** F10: purpose words. */
  purposeWords: RegExp;
  /** A social-media handle in the purpose (F10). */
  handle: RegExp;
  /** Business payouts (freelancers, BPO): a look-alike. */
  workWords: RegExp;
  /** F11: channels of online remitters, P2P, e-wallets, crypto. */
  riskChannels: Set<string>;
  /** F17: channels sextortion payments go through (gift cards, P2P, crypto)… */
  sextortionChannels: Set<string>;
  /** …and e-wallets, which ordinary domestic transfers use too. */
  walletChannels: Set<string>;
}

/** Defaults after domain.md §9.3. */
export const DEFAULT_INDICATOR_PARAMS: IndicatorParams = {
  bandMinUsd: 10,
  bandMaxUsd: 200,
  nightStart: 22,
  nightEnd: 5,
  purposeWords:
    /\b(gifts?|treats?|birthday|bday|school|tuition|uniforms?|medical|medicine|hospital|bills?|accommodation|rent|family support|expenses|fees|baby|milk|food|kids?|allowance)\b/i,
  handle: /(^|\s)@[a-z0-9_.]{3,}|\b(fb|ig|insta|snap|tiktok|telegram|kik)\b/i,
  workWords: /\b(salary|payroll|services?|project|milestone|design|work|contract(or)?|consult\w*|freelance\w*|commission|invoice\s*#?\s*\d+)\b|#\s*\d{3,}/i,
  riskChannels: new Set(['remittance', 'ewallet', 'p2p', 'crypto', 'giftcard']),
  sextortionChannels: new Set(['p2p', 'crypto', 'giftcard']),
  walletChannels: new Set(['ewallet', 'e-wallet', 'wallet']),
};

/** The fields of one record the flags read. */
export interface RowFacts {
  usd: number;
  round: boolean;
  localHour: number;
  channel: string | null;
  purpose: string | null;
  senderName: string | null;
  senderCountry: string | null;
  receiverName: string | null;
  receiverCountry: string | null;
}

/** The flags of one record. */
export function rowFlags(r: RowFacts, p: IndicatorParams = DEFAULT_INDICATOR_PARAMS): number {
  let f = 0;
  if (r.round) f |= F.ROUND;
  if (r.usd >= p.bandMinUsd && r.usd <= p.bandMaxUsd) f |= F.BAND;
  if (r.localHour >= p.nightStart || r.localHour < p.nightEnd) f |= F.NIGHT;
  const purpose = r.purpose ?? '';
  if (purpose && p.purposeWords.test(purpose)) f |= F.KEYWORD;
  if (purpose && p.handle.test(purpose)) f |= F.HANDLE;
  if (purpose && p.workWords.test(purpose)) f |= F.WORK;
  if (shareFamilyName(r.senderName ?? undefined, r.receiverName ?? undefined)) f |= F.FAMILY;
  const sc = r.senderCountry;
  const rc = r.receiverCountry;
  if (sc && rc && sc !== rc) f |= F.FOREIGN;
  if (sc && rc && DEMAND_COUNTRIES.has(sc) && DESTINATION_COUNTRIES.has(rc)) f |= F.CORRIDOR;
  const ch = r.channel ?? '';
  if (p.riskChannels.has(ch)) f |= F.RISK_CHANNEL;
  if (p.sextortionChannels.has(ch)) f |= F.SX_CHANNEL;
  if (p.walletChannels.has(ch)) f |= F.EWALLET;
  if (rc && SEXTORTION_DESTINATIONS.has(rc)) f |= F.SX_DEST;
  if (isOrgName(r.senderName ?? undefined)) f |= F.SENDER_ORG;
  if (isOrgName(r.receiverName ?? undefined)) f |= F.RECEIVER_ORG;
  return f;
}
