// Currency conversion for payment records. Amounts are compared in one unit (PHP, with a US$
// equivalent for the amount bands), so every record needs a rate; the shipped table is a set of
// planning values an agency replaces with its own (`bantay payments rates --load FILE`).
import { badInput } from '../../model/error.ts';

/** PHP for one unit of each currency (ISO 4217). */
export type Rates = ReadonlyMap<string, number>;

/** A rate table and where it came from. */
export interface RateTable {
  rates: Rates;
  asOf: string;
  source: string;
}

/** The date the default rates describe. */
export const DEFAULT_RATES_AS_OF = '2026-01-01';

// Rounded mid-market orders of magnitude (early 2026), PHP per unit. Good enough for amount
// bands (US$10-200); not for accounting.
const DEFAULT: Record<string, number> = {
  PHP: 1,
  USD: 57,
  EUR: 62,
  GBP: 72,
  AUD: 37,
  CAD: 41,
  NZD: 34,
  JPY: 0.38,
  SGD: 43,
  HKD: 7.3,
  CNY: 7.9,
  TWD: 1.8,
  KRW: 0.041,
  MYR: 12.8,
  THB: 1.6,
  IDR: 0.0035,
  VND: 0.0023,
  INR: 0.68,
  SAR: 15.2,
  AED: 15.5,
  QAR: 15.6,
  KWD: 185,
  BHD: 151,
  OMR: 148,
  ILS: 15.5,
  TRY: 1.7,
  SEK: 5.4,
  NOK: 5.3,
  DKK: 8.3,
  CHF: 65,
  PLN: 14.3,
  RON: 12.5,
  CZK: 2.5,
  HUF: 0.16,
  UAH: 1.4,
  RUB: 0.6,
  ZAR: 3.1,
  NGN: 0.037,
  GHS: 3.7,
  XOF: 0.094,
  KES: 0.44,
  BRL: 10,
  MXN: 3.1,
  COP: 0.014,
  DOP: 0.95,
  JMD: 0.36,
};

/** The shipped rate table. */
export function defaultRateTable(): RateTable {
  return { rates: new Map(Object.entries(DEFAULT)), asOf: DEFAULT_RATES_AS_OF, source: 'built-in planning values' };
}

/** Parses a rate CSV: a header with `currency` and `php` (PHP per unit), optional `as_of`; `#` lines are comments. */
export function parseRatesCsv(text: string, source: string): RateTable {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw badInput('BAD_FILE', `${source}: no rates`);
  const header = lines[0]!
    .toLowerCase()
    .split(',')
    .map((h) => h.trim());
  const ci = header.indexOf('currency');
  const ri = header.findIndex((h) => h === 'php' || h === 'php_per_unit' || h === 'rate');
  const ai = header.indexOf('as_of');
  if (ci < 0 || ri < 0) throw badInput('BAD_FILE', `${source}: the header must name "currency" and "php" (PHP for one unit), got "${lines[0]}"`);
  const rates = new Map<string, number>();
  let asOf = '';
  lines.slice(1).forEach((l, i) => {
    const cells = l.split(',').map((c) => c.trim());
    const cur = (cells[ci] ?? '').toUpperCase();
    const rate = Number(cells[ri]);
    if (!/^[A-Z]{3,5}$/.test(cur)) throw badInput('BAD_FILE', `${source} line ${i + 2}: "${cells[ci] ?? ''}" is not a currency code`);
    if (!Number.isFinite(rate) || rate <= 0)
      throw badInput('BAD_FILE', `${source} line ${i + 2}: the rate of ${cur} must be a positive number, got "${cells[ri] ?? ''}"`);
    rates.set(cur, rate);
    if (ai >= 0 && cells[ai]) asOf = cells[ai]!;
  });
  if (!rates.has('PHP')) rates.set('PHP', 1);
  if (!rates.has('USD')) throw badInput('BAD_FILE', `${source}: USD is needed (amount bands are in US$ equivalents)`);
  return { rates, asOf: asOf || 'unknown', source };
}

/** PHP value of an amount, or undefined when the currency has no rate. */
export function toPhp(rates: Rates, amount: number, currency: string): number | undefined {
  const r = rates.get(currency);
  return r === undefined ? undefined : amount * r;
}
