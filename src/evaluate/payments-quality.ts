// The payments stage measured against the generator's planted truth (issue 10): precision among
// the top alerts, recall of planted payers and receivers, and look-alikes (hard negatives:
// overseas-worker families with red-flag indicators, charities, romance) in the top alerts.
// Truth is in provider customer ids; an alert covers the customer ids of its party.

import type { Kysely } from 'kysely';
import type { BantayDatabase } from '../store/schema.ts';
import { listAlertRows } from '../store/payments.ts';

/** The payment part of truth.json. */
export interface PaymentsTruth {
  offendingPayers: string[];
  offendingReceivers: string[];
  hardNegatives: string[];
  sextortionPayers: string[];
}

/** The figures. */
export interface PaymentsQuality {
  alerts: number;
  top: number;
  /** Among the top alerts that carry a customer id: planted (payer, receiver or sextortion payer) / judged. */
  precisionAtTop: number | null;
  truePositivesAtTop: number;
  falsePositivesAtTop: number;
  /** Top alerts whose party has no provider customer id (name or phone only): neither right nor wrong. */
  unjudgedAtTop: number;
  /** Planted payer and receiver ids covered by an alert. */
  recall: number | null;
  recallPayers: number | null;
  recallReceivers: number | null;
  recallSextortionPayers: number | null;
  planted: { payers: number; receivers: number; sextortionPayers: number };
  /** Look-alike ids (hard negatives) among the top alerts. */
  hardNegativesAtTop: number;
  falsePositiveParties: string[];
}

/** Computes the payment quality figures from the stored alerts and the truth. */
export async function paymentsQuality(db: Kysely<BantayDatabase>, truth: PaymentsTruth, opts: { top?: number } = {}): Promise<PaymentsQuality> {
  const top = opts.top ?? 100;
  const alerts = await listAlertRows(db, 1_000_000);
  const payers = new Set(truth.offendingPayers);
  const receivers = new Set(truth.offendingReceivers);
  const sx = new Set(truth.sextortionPayers);
  const hard = new Set(truth.hardNegatives);
  const idsOf = (customers: string[]): string[] => customers.map((c) => c.slice(c.indexOf('|') + 1));
  let tp = 0;
  let fp = 0;
  let unjudged = 0;
  let hardAtTop = 0;
  const fpParties: string[] = [];
  alerts.slice(0, top).forEach((a) => {
    const ids = idsOf(a.customers);
    if (ids.some((i) => hard.has(i))) hardAtTop++;
    if (ids.length === 0) unjudged++;
    else if (ids.some((i) => payers.has(i) || receivers.has(i) || sx.has(i))) tp++;
    else {
      fp++;
      fpParties.push(`${a.role} ${a.partyId}`);
    }
  });
  const covered = new Set(alerts.flatMap((a) => idsOf(a.customers)));
  const frac = (s: Set<string>): number | null => (s.size === 0 ? null : [...s].filter((i) => covered.has(i)).length / s.size);
  const planted = new Set([...payers, ...receivers]);
  return {
    alerts: alerts.length,
    top: Math.min(top, alerts.length),
    precisionAtTop: tp + fp === 0 ? null : tp / (tp + fp),
    truePositivesAtTop: tp,
    falsePositivesAtTop: fp,
    unjudgedAtTop: unjudged,
    recall: frac(planted),
    recallPayers: frac(payers),
    recallReceivers: frac(receivers),
    recallSextortionPayers: frac(sx),
    planted: { payers: payers.size, receivers: receivers.size, sextortionPayers: sx.size },
    hardNegativesAtTop: hardAtTop,
    falsePositiveParties: fpParties,
  };
}

const pct = (x: number | null): string => (x === null ? 'n/a' : `${(x * 100).toFixed(1)}%`);

/** The payment quality figures in words, with their targets. */
export function formatPaymentsQuality(q: PaymentsQuality): string {
  return [
    `Payments (${q.alerts} alerts):`,
    `  precision in the top ${q.top}          ${pct(q.precisionAtTop)}   (${q.truePositivesAtTop} right, ${q.falsePositivesAtTop} wrong, ${q.unjudgedAtTop} without a customer id; target at least 90%)`,
    `  recall of planted payers and receivers ${pct(q.recall)}   (payers ${pct(q.recallPayers)}, receivers ${pct(q.recallReceivers)}, sextortion payers ${pct(q.recallSextortionPayers)}; target at least 90%)`,
    `  overseas-worker look-alikes in the top ${q.top}: ${q.hardNegativesAtTop}   (target 0)`,
  ].join('\n');
}

/** The payments part of a generator truth file (truth.json `payments`), or undefined without one. */
export function paymentsTruthOf(truthJson: unknown): PaymentsTruth | undefined {
  const p = (truthJson as { payments?: PaymentsTruth } | null)?.payments;
  return p && Array.isArray(p.offendingPayers) ? p : undefined;
}
