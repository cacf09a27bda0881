// Countries, currencies and providers for transactions.csv. Exchange rates are rounded planning
// values (early 2026 order of magnitude), fixed so that output is deterministic; UTC offsets are
// one typical offset per country (no daylight-saving switching, which a fixed offset per row makes
// visible anyway).

/** What the generator needs to know about a sending or receiving country. */
export interface CountryMoney {
  currency: string;
  /** PHP per unit of currency. */
  php: number;
  /** UTC offsets in minutes that people there write times in. */
  offsets: readonly number[];
  /** International calling code without '+'. */
  dial: string;
}

/** Countries that appear in transactions. */
export const COUNTRIES: Readonly<Record<string, CountryMoney>> = {
  PH: { currency: 'PHP', php: 1, offsets: [480], dial: '63' },
  US: { currency: 'USD', php: 57, offsets: [-300, -360, -420, -480], dial: '1' },
  AU: { currency: 'AUD', php: 37, offsets: [660, 600, 630, 480], dial: '61' },
  GB: { currency: 'GBP', php: 72, offsets: [0], dial: '44' },
  CA: { currency: 'CAD', php: 41, offsets: [-300, -480, -420], dial: '1' },
  SA: { currency: 'SAR', php: 15.2, offsets: [180], dial: '966' },
  DE: { currency: 'EUR', php: 62, offsets: [60], dial: '49' },
  JP: { currency: 'JPY', php: 0.38, offsets: [540], dial: '81' },
  SG: { currency: 'SGD', php: 43, offsets: [480], dial: '65' },
  FR: { currency: 'EUR', php: 62, offsets: [60], dial: '33' },
  NL: { currency: 'EUR', php: 62, offsets: [60], dial: '31' },
  SE: { currency: 'SEK', php: 5.4, offsets: [60], dial: '46' },
  NO: { currency: 'NOK', php: 5.3, offsets: [60], dial: '47' },
  CH: { currency: 'CHF', php: 65, offsets: [60], dial: '41' },
  AE: { currency: 'AED', php: 15.5, offsets: [240], dial: '971' },
  QA: { currency: 'QAR', php: 15.6, offsets: [180], dial: '974' },
  KW: { currency: 'KWD', php: 185, offsets: [180], dial: '965' },
  HK: { currency: 'HKD', php: 7.3, offsets: [480], dial: '852' },
  IT: { currency: 'EUR', php: 62, offsets: [60], dial: '39' },
  NG: { currency: 'NGN', php: 0.037, offsets: [60], dial: '234' },
  CI: { currency: 'XOF', php: 0.094, offsets: [0], dial: '225' },
};

/** A provider and the channel it reports under. */
export interface Provider {
  name: string;
  channel: string;
  /** Prefix of its transaction ids. */
  txnPrefix: string;
  /** Digits after the prefix. */
  txnDigits: number;
  /** Prefix of its customer ids. */
  customerPrefix: string;
}

/** International remitters and payment services used by senders abroad. */
export const SEND_PROVIDERS: readonly Provider[] = [
  { name: 'Western Union', channel: 'remittance', txnPrefix: '', txnDigits: 10, customerPrefix: 'WU' },
  { name: 'Remitly', channel: 'remittance', txnPrefix: 'RMT', txnDigits: 9, customerPrefix: 'RM' },
  { name: 'WorldRemit', channel: 'remittance', txnPrefix: 'WR', txnDigits: 10, customerPrefix: 'WRC' },
  { name: 'Xoom', channel: 'remittance', txnPrefix: 'XM', txnDigits: 11, customerPrefix: 'XMC' },
  { name: 'MoneyGram', channel: 'remittance', txnPrefix: '', txnDigits: 8, customerPrefix: 'MG' },
  { name: 'PayPal', channel: 'p2p', txnPrefix: '', txnDigits: 17, customerPrefix: 'PP' },
  { name: 'Wise', channel: 'bank', txnPrefix: 'P', txnDigits: 9, customerPrefix: 'TW' },
];

/** Relative use of SEND_PROVIDERS by offending payers (online remitters and P2P dominate). */
export const OFFENDER_SEND_WEIGHTS: readonly number[] = [0.22, 0.22, 0.18, 0.12, 0.1, 0.12, 0.04];

/** Philippine receiving providers: MSBs and pawnshops, e-wallets, banks. */
export const PH_RECEIVE_PROVIDERS: readonly Provider[] = [
  { name: 'Palawan Express', channel: 'remittance', txnPrefix: 'PEP', txnDigits: 12, customerPrefix: 'PX' },
  { name: 'Cebuana Lhuillier', channel: 'remittance', txnPrefix: 'CL', txnDigits: 12, customerPrefix: 'CEB' },
  { name: 'M Lhuillier', channel: 'remittance', txnPrefix: 'ML', txnDigits: 12, customerPrefix: 'MLK' },
  { name: 'GCash', channel: 'ewallet', txnPrefix: '', txnDigits: 13, customerPrefix: 'GC' },
  { name: 'Maya', channel: 'ewallet', txnPrefix: 'MY', txnDigits: 12, customerPrefix: 'MAYA' },
  { name: 'BDO', channel: 'bank', txnPrefix: 'BDO', txnDigits: 11, customerPrefix: 'BDO' },
  { name: 'BPI', channel: 'bank', txnPrefix: 'BPI', txnDigits: 11, customerPrefix: 'BPI' },
];

/** Providers used by sextortion victims (gift cards, P2P, crypto). */
export const SEXTORTION_PROVIDERS: readonly Provider[] = [
  { name: 'GCash', channel: 'ewallet', txnPrefix: '', txnDigits: 13, customerPrefix: 'GC' },
  { name: 'Cash App', channel: 'p2p', txnPrefix: 'CA', txnDigits: 12, customerPrefix: 'CSH' },
  { name: 'Coins.ph', channel: 'crypto', txnPrefix: 'CPH', txnDigits: 12, customerPrefix: 'CPH' },
  { name: 'Binance P2P', channel: 'crypto', txnPrefix: 'BN', txnDigits: 18, customerPrefix: 'BNC' },
  { name: 'Gift card exchange', channel: 'giftcard', txnPrefix: 'GFT', txnDigits: 10, customerPrefix: 'GFX' },
];

/** Countries of Filipino workers abroad and their weights (family remittances). */
export const OFW_COUNTRIES: Readonly<Record<string, number>> = {
  SA: 0.22,
  AE: 0.16,
  US: 0.14,
  HK: 0.08,
  SG: 0.07,
  QA: 0.07,
  KW: 0.06,
  JP: 0.06,
  IT: 0.05,
  CA: 0.05,
  GB: 0.04,
};

/** Email domains people use. */
export const MAIL_DOMAINS = [
  'gmail.com',
  'gmail.com',
  'gmail.com',
  'yahoo.com',
  'yahoo.com.ph',
  'outlook.com',
  'hotmail.com',
  'icloud.com',
  'ymail.com',
] as const;
