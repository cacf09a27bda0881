// transactions.csv (../shared/spec/transactions.md): payer networks feeding livestream facilitators,
// sextortion payments, hard negatives (family remittances with one or two red-flag indicators,
// romance and charity look-alikes) and ordinary traffic (domain.md §9, §12.3, §12.4).
import type { Ctx } from './context.ts';
import { COUNTRIES, OFFENDER_SEND_WEIGHTS, OFW_COUNTRIES, PH_RECEIVE_PROVIDERS, SEND_PROVIDERS, SEXTORTION_PROVIDERS, type Provider } from './data/money.ts';
import { DOMESTIC_PURPOSES, FAMILY_PURPOSES, OFFENDING_PURPOSES, WORK_PURPOSES } from './data/text.ts';
import { csvRow } from './csv.ts';
import { emailVariant, newPersona, type Persona } from './people.ts';
import { formatForeign, formatPh } from './phones.ts';
import type { FacilitatorPlan, PlantPlan, SextortionPlan } from './plants.ts';
import { Rng, WeightedTable } from './rng.ts';
import { DAY, HOUR, MINUTE, isoAt, offsetText } from './time.ts';
import type { Truth } from './truth.ts';

/** The columns of transactions.csv, in order. */
export const TXN_COLUMNS = [
  'txn_id',
  'timestamp',
  'amount',
  'currency',
  'amount_php',
  'channel',
  'provider',
  'sender_id',
  'sender_name',
  'sender_country',
  'sender_phone',
  'sender_email',
  'receiver_id',
  'receiver_name',
  'receiver_country',
  'receiver_phone',
  'receiver_account',
  'purpose',
  'source',
] as const;

type Column = (typeof TXN_COLUMNS)[number];
type Fields = Partial<Record<Column, string>>;

/** A finished row: its CSV line and what it sorts by (kept compact: runs have 100,000s of rows). */
interface Row {
  ts: number;
  key: string;
  line: string;
}

const USD_PHP = 57;
const EUR_PHP = 62;
const ZERO_DECIMALS = new Set(['JPY', 'XOF']);

type CountryMoney = (typeof COUNTRIES)[string];

function countryOf(code: string): CountryMoney {
  return COUNTRIES[code] ?? COUNTRIES.US!;
}

function fmtAmount(v: number, currency: string): string {
  return ZERO_DECIMALS.has(currency) ? String(Math.round(v)) : v.toFixed(currency === 'KWD' ? 3 : 2);
}

function roundTo(v: number, currency: string): number {
  const php = countryOf(currencyCountry(currency)).php;
  const usd = (v * php) / USD_PHP;
  const step = usd < 50 ? 5 : usd < 200 ? 10 : 50;
  const unit = (step * USD_PHP) / php;
  const mag = Math.pow(10, Math.floor(Math.log10(unit)));
  const nice = Math.ceil(unit / mag) * mag;
  return Math.max(nice, Math.round(v / nice) * nice);
}

const COUNTRY_OF_CURRENCY = new Map<string, string>();
for (const [k, c] of Object.entries(COUNTRIES)) if (!COUNTRY_OF_CURRENCY.has(c.currency)) COUNTRY_OF_CURRENCY.set(c.currency, k);

function currencyCountry(currency: string): string {
  return COUNTRY_OF_CURRENCY.get(currency) ?? 'US';
}

/** A name as a provider recorded it: any case and order. */
function writtenName(rng: Rng, first: string, last: string): string {
  switch (rng.int(0, 5)) {
    case 0:
      return `${first} ${last}`.toUpperCase();
    case 1:
      return `${last}, ${first}`;
    case 2:
      return `${last.toUpperCase()} ${first.toUpperCase()}`;
    case 3:
      return `${first} ${last}`.toLowerCase();
    default:
      return `${first} ${last}`;
  }
}

function phoneText(rng: Rng, ctx: Ctx, p: Persona): string {
  return p.country === 'PH' ? formatPh(p.phone, ctx.phoneFormat.draw(rng)) : formatForeign(p.phone, rng);
}

/** Transaction and customer ids, unique per provider. */
class Ledger {
  readonly rows: Row[] = [];

  /** Adds a finished row. */
  push(ts: number, f: Fields): void {
    this.rows.push({ ts, key: `${f.provider ?? ''}\u0000${f.txn_id ?? ''}`, line: csvRow(TXN_COLUMNS.map((c) => f[c] ?? '')) });
  }
  private readonly counters = new Map<string, number>();
  private readonly heads = new Map<string, string>();
  private readonly customers = new Map<string, string>();
  private readonly taken = new Set<string>();

  constructor(private readonly rng: Rng) {}

  txnId(p: Provider): string {
    // Counters stay within 12 digits (exact in a double); longer ids get a fixed random head.
    const digits = Math.min(12, p.txnDigits);
    let c = this.counters.get(p.name);
    if (c === undefined) {
      c = this.rng.int(10 ** Math.max(1, digits - 2), 10 ** (digits - 1));
      this.heads.set(p.name, p.txnDigits > digits ? `${this.rng.int(1, 9)}${this.rng.digits(p.txnDigits - digits - 1)}` : '');
    }
    c += this.rng.int(1, 40);
    this.counters.set(p.name, c);
    return `${p.txnPrefix}${this.heads.get(p.name) ?? ''}${String(c).padStart(digits, '0')}`;
  }

  customer(p: Provider, key: string): string {
    const k = `${p.name}\u0000${key}`;
    let id = this.customers.get(k);
    if (!id) {
      do id = `${p.customerPrefix}${this.rng.digits(9)}`;
      while (this.taken.has(`${p.name}\u0000${id}`));
      this.taken.add(`${p.name}\u0000${id}`);
      this.customers.set(k, id);
    }
    return id;
  }
}

function personKey(p: Persona): string {
  return p.phone;
}

function localTime(rng: Rng, day: number, offsetMin: number, night: boolean): number {
  const localMidnight = Math.floor((day + offsetMin * MINUTE) / DAY) * DAY;
  const hour = night ? rng.pick([22, 23, 0, 1, 2, 3, 4]) : rng.int(6, 21);
  const dayShift = night && hour < 6 ? DAY : 0;
  return localMidnight + dayShift + hour * HOUR + rng.int(0, 59) * MINUTE + rng.int(0, 59) * 1000 - offsetMin * MINUTE;
}

function stamp(ts: number, offsetMin: number): string {
  return isoAt(Math.floor(ts / 1000) * 1000, offsetText(offsetMin));
}

/** What one generated payment is. */
interface Payment {
  ts: number;
  offset: number;
  amount: number;
  currency: string;
  provider: Provider;
  sender: Persona;
  senderName?: string;
  receiver: Persona;
  receiverName?: string;
  receiverAccount?: string;
  purpose: string;
  senderId: boolean;
  receiverId: boolean;
  phpShare?: number;
  source?: string;
}

function toRow(rng: Rng, ctx: Ctx, ledger: Ledger, p: Payment): { ts: number; fields: Fields; senderId: string; receiverId: string } {
  const php = countryOf(currencyCountry(p.currency)).php;
  const senderId = p.senderId ? ledger.customer(p.provider, personKey(p.sender)) : '';
  const receiverId = p.receiverId ? ledger.customer(p.provider, personKey(p.receiver)) : '';
  const f: Fields = {
    txn_id: ledger.txnId(p.provider),
    timestamp: stamp(p.ts, p.offset),
    amount: fmtAmount(p.amount, p.currency),
    currency: p.currency,
    channel: p.provider.channel,
    provider: p.provider.name,
    sender_id: senderId,
    sender_name: p.senderName ?? writtenName(rng, p.sender.first, p.sender.last),
    sender_country: p.sender.country,
    receiver_id: receiverId,
    receiver_name: p.receiverName ?? writtenName(rng, p.receiver.first, p.receiver.last),
    receiver_country: p.receiver.country,
    purpose: p.purpose,
  };
  if (rng.chance(p.phpShare ?? ctx.p.payments.amountPhpShare)) f.amount_php = (p.amount * php).toFixed(2);
  if (rng.chance(0.4)) f.sender_phone = phoneText(rng, ctx, p.sender);
  if (rng.chance(0.3)) f.sender_email = emailVariant(rng, p.sender.email);
  if (rng.chance(0.75)) f.receiver_phone = phoneText(rng, ctx, p.receiver);
  if (p.receiverAccount !== undefined) f.receiver_account = p.receiverAccount;
  if (p.source) f.source = p.source;
  return { ts: p.ts, fields: f, senderId, receiverId };
}

function usdIn(currencyCountryCode: string, usd: number): { amount: number; currency: string } {
  const c = countryOf(currencyCountryCode);
  return { amount: (usd * USD_PHP) / c.php, currency: c.currency };
}

/** Result of the payments stage. */
export interface PaymentsResult {
  csv: string;
  rows: number;
}

/** Generates every transaction of the run and fills the payment side of truth. */
export function generatePayments(rng: Rng, ctx: Ctx, truth: Truth, plants: PlantPlan, target: number): PaymentsResult {
  const ledger = new Ledger(rng.fork('ids'));
  const pp = ctx.p.payments;
  const wStart = ctx.start - pp.lookbackDays * DAY;
  const wEnd = ctx.end;

  // --- Livestream payer networks --------------------------------------------------------------
  const r = rng.fork('livestream');
  const facilitators = plants.plans.filter((p): p is FacilitatorPlan => p.kind === 'facilitator');
  const payerOf = new Map<Persona, FacilitatorPlan[]>();
  for (const f of facilitators) {
    for (const p of f.payers) {
      const list = payerOf.get(p) ?? [];
      list.push(f);
      payerOf.set(p, list);
    }
  }
  const payers = [...payerOf.keys()];
  const counts = payers.map(() => r.geometric(pp.meanTransfersPerPayer));
  if (payers.length >= 2) {
    // A few prolific payers make about half of all transfers (AIC 589: 3% made half).
    const k = Math.max(1, Math.round(payers.length * pp.prolificPayerShare));
    const ordinary = counts.slice(k).reduce((a, b) => a + b, 0);
    const total = Math.round((ordinary * pp.prolificTransferShare) / Math.max(0.01, 1 - pp.prolificTransferShare));
    for (let i = 0; i < k; i++) counts[i] = Math.max(5, Math.round(total / k));
  }
  const msbOf = new Map<FacilitatorPlan, Provider | undefined>();
  for (const f of facilitators) msbOf.set(f, r.chance(0.6) ? r.pick(PH_RECEIVE_PROVIDERS.slice(0, 3)) : undefined);
  const gcash = PH_RECEIVE_PROVIDERS.find((p) => p.name === 'GCash')!;
  const maya = PH_RECEIVE_PROVIDERS.find((p) => p.name === 'Maya')!;
  // E-wallets are keyed to the mobile number: GCash for most, Maya for some (domain.md §8).
  const walletOf = new Map<FacilitatorPlan, Provider>();
  for (const f of facilitators) walletOf.set(f, r.chance(0.7) ? gcash : maya);
  payers.forEach((payer, i) => {
    const n = counts[i]!;
    const prolific = payers.length >= 2 && i < Math.max(1, Math.round(payers.length * pp.prolificPayerShare));
    const providers = [SEND_PROVIDERS[r.weightedIndex(OFFENDER_SEND_WEIGHTS)]!];
    if (r.chance(0.35)) providers.push(SEND_PROVIDERS[r.weightedIndex(OFFENDER_SEND_WEIGHTS)]!);
    const c = countryOf(payer.country);
    const offset = r.pick(c.offsets);
    const first = wStart + r.float() * (wEnd - wStart) * (prolific ? 0.2 : 0.85);
    const days: number[] = [];
    for (let k = 0; k < n; k++) days.push(first + r.float() * (wEnd - first));
    days.sort((a, b) => a - b);
    const recipients = payerOf.get(payer)!;
    for (let k = 0; k < n; k++) {
      const f = r.pick(recipients);
      let usd: number;
      if (r.chance(pp.rareHighShare)) usd = r.int(200, 390);
      else if (prolific) usd = Math.min(pp.amountMaxUsd, (10 + r.float() * 26) * (1 + (0.8 * k) / n));
      else usd = pp.amountMinUsd * Math.pow(pp.amountMaxUsd / pp.amountMinUsd, r.float() * r.float());
      let { amount, currency } = usdIn(payer.country, usd);
      if (r.chance(pp.roundShare)) amount = roundTo(amount, currency);
      let ts = localTime(r, days[k]!, offset, r.chance(pp.nightShare));
      if (ts >= wEnd) ts -= DAY;
      if (ts < wStart) ts += DAY;
      const phSide = r.chance(0.2);
      const wallet = walletOf.get(f)!;
      const provider = phSide ? (msbOf.get(f) && r.chance(0.5) ? msbOf.get(f)! : wallet) : r.pick(providers);
      const toWallet = provider === wallet || (!phSide && r.chance(0.5));
      let purpose: string = r.pick(OFFENDING_PURPOSES);
      if (r.chance(0.05)) purpose = `${purpose} fb @${payer.handle}`.trim();
      const res = toRow(r, ctx, ledger, {
        ts,
        offset: phSide ? 480 : offset,
        amount,
        currency,
        provider,
        sender: payer,
        receiver: f.persona,
        receiverAccount: toWallet ? formatPh(f.persona.phone, ctx.phoneFormat.draw(r)) : undefined,
        purpose,
        senderId: !phSide || r.chance(0.3),
        receiverId: true,
        phpShare: phSide ? 1 : undefined,
        source: r.chance(0.1) ? `STR-${new Date(ts).getUTCFullYear()}-${r.digits(6)}` : undefined,
      });
      // The facilitator's mobile is her e-wallet: write it where the provider would.
      if (!res.fields.receiver_phone) res.fields.receiver_phone = formatPh(f.persona.phone, ctx.phoneFormat.draw(r));
      ledger.push(res.ts, res.fields);
      if (res.senderId) {
        truth.payments.offendingPayers.add(res.senderId);
        f.subject.senderIds.add(res.senderId);
      }
      truth.payments.offendingReceivers.add(res.receiverId);
      f.subject.receiverIds.add(res.receiverId);
    }
  });

  // --- Sextortion: a minor pays a few quick amounts, then stops ------------------------------
  const s = rng.fork('sextortion');
  for (const plan of plants.plans.filter((p): p is SextortionPlan => p.kind === 'sextortion')) {
    const victim = plan.victim;
    const provider = plan.wallet.crypto
      ? s.pick(SEXTORTION_PROVIDERS.filter((p) => p.channel !== 'ewallet' && p.channel !== 'p2p'))
      : victim.country === 'PH'
        ? SEXTORTION_PROVIDERS.find((p) => p.name === 'GCash')!
        : s.pick(SEXTORTION_PROVIDERS.filter((p) => p.channel === 'p2p' || p.channel === 'giftcard'));
    const nPay = s.int(pp.sextortionPaymentsMin, Math.max(pp.sextortionPaymentsMin, pp.sextortionPaymentsMax));
    const c = countryOf(victim.country);
    const offset = c.offsets[0]!;
    let ts = (plan.reports[0]?.t ?? ctx.start) - s.int(1, 6) * HOUR;
    let totalEur = 0;
    const payerName = s.chance(0.3) ? `${s.pick(['Maria', 'Jennifer', 'Michael', 'Robert'])} ${victim.last}` : undefined;
    for (let k = 0; k < nPay; k++) {
      const eur = k === 0 ? s.int(30, Math.max(31, pp.sextortionFirstMaxEur - 10)) : s.int(20, 300);
      if (totalEur + eur > pp.sextortionTotalMaxEur) break;
      totalEur += eur;
      let amount = (eur * EUR_PHP) / c.php;
      if (s.chance(0.6)) amount = roundTo(amount, c.currency);
      const res = toRow(s, ctx, ledger, {
        ts,
        offset,
        amount,
        currency: c.currency,
        provider,
        sender: victim,
        senderName: payerName,
        receiver: plan.persona,
        receiverName: s.chance(0.5) ? plan.lure : undefined,
        receiverAccount: plan.wallet.crypto ? plan.wallet.canonical : formatPh(plan.wallet.canonical, ctx.phoneFormat.draw(s)),
        purpose: s.pick(['', '', 'gift', 'pls', 'payment']),
        senderId: true,
        receiverId: true,
      });
      ledger.push(res.ts, res.fields);
      truth.payments.sextortionPayers.add(res.senderId);
      truth.payments.offendingReceivers.add(res.receiverId);
      plan.subject.senderIds.add(res.senderId);
      plan.subject.receiverIds.add(res.receiverId);
      ts += s.int(10, 90) * MINUTE;
    }
  }

  // --- Ordinary traffic and hard negatives -----------------------------------------------------
  const o = rng.fork('ordinary');
  let budget = Math.max(0, target - ledger.rows.length);
  const kinds = new WeightedTable(pp.ordinaryMix);
  const perKind = new Map<string, number>();
  let assigned = 0;
  for (const k of kinds.keys) {
    const n = Math.floor(budget * kinds.share(k));
    perKind.set(k, n);
    assigned += n;
  }
  if (kinds.keys.length > 0) perKind.set(kinds.keys[0]!, perKind.get(kinds.keys[0]!)! + (budget - assigned));
  budget = 0;
  const ofw = new WeightedTable(OFW_COUNTRIES);
  const foreignDonor = new WeightedTable({ US: 5, AU: 2, GB: 2, DE: 1 });
  for (const kind of kinds.keys) {
    let left = perKind.get(kind)!;
    while (left > 0) {
      const flow = ordinaryFlow(o, ctx, kind, ofw, foreignDonor, wStart, wEnd);
      const take = flow.payments.slice(0, left);
      for (const p of take) {
        const res = toRow(o, ctx, ledger, p);
        ledger.push(res.ts, res.fields);
        if (flow.hardNegative && res.senderId) truth.payments.hardNegatives.add(res.senderId);
      }
      left -= take.length;
    }
  }

  ledger.rows.sort((a, b) => a.ts - b.ts || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const parts = [csvRow(TXN_COLUMNS)];
  for (const row of ledger.rows) parts.push(row.line);
  return { csv: parts.join(''), rows: ledger.rows.length };
}

const COMPANIES = ['Upwork Global Inc.', 'Acme Digital LLC', 'Northwind Media Pty Ltd', 'Brightline Support Ltd', 'Kestrel Analytics Inc.'];
const CHARITIES = ['Bahay Kalinga Foundation', 'Hope for Children Mission Inc.', 'Tahanan ng Pagmamahal'];

function ordinaryFlow(
  r: Rng,
  ctx: Ctx,
  kind: string,
  ofw: WeightedTable<string>,
  donors: WeightedTable<string>,
  wStart: number,
  wEnd: number,
): { payments: Payment[]; hardNegative: boolean } {
  const pp = ctx.p.payments;
  const out: Payment[] = [];
  const span = wEnd - wStart;
  switch (kind) {
    case 'family': {
      const country = ofw.draw(r);
      const sender = newPersona(r, ctx, { country: 'PH', minAge: 24, maxAge: 55 });
      sender.country = country;
      const receivers = [newPersona(r, ctx, { country: 'PH', sex: 'F', minAge: 35, maxAge: 70, last: sender.last })];
      if (r.chance(0.35)) receivers.push(newPersona(r, ctx, { country: 'PH', minAge: 18, maxAge: 60, last: sender.last }));
      const hard = r.chance(pp.hardNegativeShare);
      // Hard negatives show one or two red-flag indicators (late night, small and frequent, round).
      const night = hard && r.chance(0.6);
      const frequent = hard && (!night || r.chance(0.4));
      const c = countryOf(country);
      const offset = r.pick(c.offsets);
      const provider = r.pick(SEND_PROVIDERS);
      for (const rec of receivers) {
        const everyDays = frequent ? 7 : 30;
        const firstDay = wStart + r.float() * everyDays * DAY;
        for (let t = firstDay; t < wEnd; t += (everyDays + r.int(-2, 2)) * DAY) {
          const usd = ((frequent ? pp.familyMonthlyUsd / 4 : pp.familyMonthlyUsd) * r.logNormal(1, 0.25)) / receivers.length;
          let { amount, currency } = usdIn(country, usd);
          if (hard || r.chance(0.4)) amount = roundTo(amount, currency);
          out.push({
            ts: Math.min(wEnd - MINUTE, localTime(r, t, offset, night)),
            offset,
            amount,
            currency,
            provider,
            sender,
            receiver: rec,
            receiverAccount: r.chance(0.4) ? formatPh(rec.phone, ctx.phoneFormat.draw(r)) : undefined,
            purpose: r.pick(FAMILY_PURPOSES),
            senderId: true,
            receiverId: r.chance(0.7),
          });
        }
      }
      return { payments: out, hardNegative: hard };
    }
    case 'freelance': {
      const country = r.pick(['US', 'US', 'AU', 'GB', 'CA']);
      const sender = newPersona(r, ctx, { country, minAge: 25, maxAge: 60 });
      const company = r.pick(COMPANIES);
      const receiver = newPersona(r, ctx, { country: 'PH', minAge: 20, maxAge: 45 });
      const provider = r.pick(SEND_PROVIDERS.filter((p) => p.channel !== 'remittance'));
      const c = countryOf(country);
      const offset = r.pick(c.offsets);
      const n = r.int(1, 4);
      for (let k = 0; k < n; k++) {
        const { amount, currency } = usdIn(country, r.int(150, 1500) + r.int(0, 99) / 100);
        out.push({
          ts: localTime(r, wStart + r.float() * span, offset, false),
          offset,
          amount,
          currency,
          provider,
          sender,
          senderName: company,
          receiver,
          purpose: `${r.pick(WORK_PURPOSES)} #${r.digits(5)}`,
          senderId: true,
          receiverId: true,
        });
      }
      return { payments: out, hardNegative: false };
    }
    case 'charity': {
      const country = donors.draw(r);
      const sender = newPersona(r, ctx, { country, sex: 'M', minAge: 40, maxAge: 80 });
      const receiver = newPersona(r, ctx, { country: 'PH', minAge: 30, maxAge: 60 });
      const org = r.pick(CHARITIES);
      const c = countryOf(country);
      const offset = r.pick(c.offsets);
      const provider = r.pick(SEND_PROVIDERS);
      const usd = r.pick([25, 30, 35, 40, 50]);
      for (let t = wStart + r.float() * 30 * DAY; t < wEnd; t += 30 * DAY) {
        const { amount, currency } = usdIn(country, usd);
        out.push({
          ts: localTime(r, t, offset, r.chance(0.2)),
          offset,
          amount: roundTo(amount, currency),
          currency,
          provider,
          sender,
          receiver,
          receiverName: org,
          purpose: `child sponsorship #${r.digits(4)}`,
          senderId: true,
          receiverId: true,
        });
      }
      return { payments: out, hardNegative: true };
    }
    case 'romance': {
      const country = donors.draw(r);
      const sender = newPersona(r, ctx, { country, sex: 'M', minAge: 50, maxAge: 75 });
      const receiver = newPersona(r, ctx, { country: 'PH', sex: 'F', minAge: 22, maxAge: 45 });
      const c = countryOf(country);
      const offset = r.pick(c.offsets);
      const provider = r.pick(SEND_PROVIDERS);
      const n = r.int(2, 8);
      for (let k = 0; k < n; k++) {
        const { amount, currency } = usdIn(country, r.int(100, 500));
        out.push({
          ts: localTime(r, wStart + r.float() * span, offset, r.chance(0.3)),
          offset,
          amount: roundTo(amount, currency),
          currency,
          provider,
          sender,
          receiver,
          purpose: r.pick(['gift', 'for you', 'hospital bills', 'rent', 'ticket', '']),
          senderId: true,
          receiverId: true,
        });
      }
      return { payments: out, hardNegative: true };
    }
    default: {
      const sender = newPersona(r, ctx, { country: 'PH', minAge: 18, maxAge: 65 });
      const receiver = newPersona(r, ctx, { country: 'PH', minAge: 18, maxAge: 65 });
      const provider = r.chance(0.7) ? PH_RECEIVE_PROVIDERS.find((p) => p.name === 'GCash')! : PH_RECEIVE_PROVIDERS.find((p) => p.name === 'Maya')!;
      const n = r.int(1, 3);
      for (let k = 0; k < n; k++) {
        const amount = r.chance(0.5) ? r.int(1, 50) * 100 : r.int(50, 5000) + r.int(0, 99) / 100;
        out.push({
          ts: wStart + Math.floor(r.float() * span),
          offset: 480,
          amount,
          currency: 'PHP',
          provider,
          sender,
          receiver,
          receiverAccount: formatPh(receiver.phone, ctx.phoneFormat.draw(r)),
          purpose: r.pick(DOMESTIC_PURPOSES),
          senderId: true,
          receiverId: true,
          phpShare: 0,
        });
      }
      return { payments: out, hardNegative: false };
    }
  }
}
