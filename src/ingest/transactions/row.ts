// One record of a transactions file (../shared/spec/transactions.md) checked and brought to the
// stored shape: time with its offset, amount in its currency and in PHP, both parties with their
// identifier keys and graph node. A record that cannot be used says why.

import { isRoundAmount, partyKeys, partyNode, type PartyFields } from './parties.ts';
import { toPhp, type Rates } from './rates.ts';
import type { TxnRow } from '../../store/payments.ts';

export type { TxnRow };

/** The columns the spec names; any other column is kept in `extra`. */
export const SPEC_COLUMNS = [
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
const SPEC = new Set<string>(SPEC_COLUMNS);

const TS = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})$/i;

/** Parses an ISO 8601 time with offset; undefined when it has no offset or is not a time. */
export function parseTimestamp(text: string): { iso: string; offset: number } | undefined {
  const m = TS.exec(text.trim());
  if (!m) return undefined;
  const z = m[8]!.toUpperCase();
  const offset = z === 'Z' ? 0 : (z.startsWith('-') ? -1 : 1) * (Number(z.slice(1, 3)) * 60 + Number(z.slice(-2)));
  if (Math.abs(offset) > 14 * 60) return undefined;
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s, m[7] ? Math.round(Number(m[7]) * 1000) : 0);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return { iso: new Date(ms - offset * 60_000).toISOString(), offset };
}

/** Parses a decimal amount ("1234.50", "1,234.50"); undefined when it is not one. */
export function parseAmount(text: string): number | undefined {
  const t = text.trim();
  const plain = /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(t) ? t.replace(/,/g, '') : t;
  if (!/^-?\d+(\.\d+)?$/.test(plain) && !/^-?\.\d+$/.test(plain)) return undefined;
  return Number(plain);
}

const opt = (v: string | undefined): string | null => {
  const t = v?.trim();
  return t ? t : null;
};

/** Checks one record; the stored row, or the reason it is set aside. */
export function toTxnRow(fields: Record<string, string>, rates: Rates, where: { file: string; line: number }): { row: TxnRow } | { reason: string } {
  const txnId = opt(fields.txn_id);
  if (!txnId) return { reason: 'no txn_id' };
  const tsText = opt(fields.timestamp);
  if (!tsText) return { reason: 'no timestamp' };
  const ts = parseTimestamp(tsText);
  if (!ts) return { reason: `timestamp "${tsText}" is not an ISO 8601 time with a UTC offset` };
  const amountText = opt(fields.amount);
  if (!amountText) return { reason: 'no amount' };
  const amount = parseAmount(amountText);
  if (amount === undefined) return { reason: `amount "${amountText}" is not a number` };
  if (!(amount > 0)) return { reason: `amount ${amountText} is not positive` };
  const currency = opt(fields.currency)?.toUpperCase();
  if (!currency) return { reason: 'no currency' };
  const php = toPhp(rates, amount, currency);
  if (php === undefined) return { reason: `unknown currency "${currency}": no rate in the rate table (add it with bantay payments rates --load FILE)` };
  let recorded: number | null = null;
  if (opt(fields.amount_php)) {
    const r = parseAmount(fields.amount_php!);
    if (r === undefined) return { reason: `amount_php "${fields.amount_php}" is not a number` };
    recorded = r;
  }
  const provider = opt(fields.provider) ?? '';
  const side = (p: 'sender' | 'receiver'): { fields: PartyFields; keys: string[]; node: string } => {
    const f: PartyFields = {
      provider,
      customerId: opt(fields[`${p}_id`]) ?? undefined,
      name: opt(fields[`${p}_name`]) ?? undefined,
      country: opt(fields[`${p}_country`])?.toUpperCase() ?? undefined,
      phone: opt(fields[`${p}_phone`]) ?? undefined,
      email: p === 'sender' ? (opt(fields.sender_email) ?? undefined) : undefined,
      account: p === 'receiver' ? (opt(fields.receiver_account) ?? undefined) : undefined,
    };
    const keys = partyKeys(f);
    return { fields: f, keys, node: partyNode(f, keys) };
  };
  const s = side('sender');
  const r = side('receiver');
  if (s.node === 'unknown') return { reason: 'no sender: neither id, phone, e-mail nor name' };
  if (r.node === 'unknown') return { reason: 'no receiver: neither id, phone, account nor name' };
  let extra: Record<string, string> | null = null;
  for (const [k, v] of Object.entries(fields)) {
    if (SPEC.has(k)) continue;
    (extra ??= {})[k] = v;
  }
  return {
    row: {
      provider,
      txnId,
      ts: ts.iso,
      tsOffset: ts.offset,
      amount,
      currency,
      amountPhp: php,
      amountPhpRecorded: recorded,
      round: isRoundAmount(amountText),
      channel: opt(fields.channel),
      senderNode: s.node,
      senderCustomer: s.fields.customerId ?? null,
      senderName: s.fields.name ?? null,
      senderCountry: s.fields.country ?? null,
      senderPhone: s.fields.phone ?? null,
      senderEmail: s.fields.email ?? null,
      senderKeys: s.keys,
      receiverNode: r.node,
      receiverCustomer: r.fields.customerId ?? null,
      receiverName: r.fields.name ?? null,
      receiverCountry: r.fields.country ?? null,
      receiverPhone: r.fields.phone ?? null,
      receiverAccount: r.fields.account ?? null,
      receiverKeys: r.keys,
      purpose: opt(fields.purpose),
      source: opt(fields.source),
      extra,
      file: where.file,
      line: where.line,
    },
  };
}
