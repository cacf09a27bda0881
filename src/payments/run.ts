// `bantay payments score`: reads the stored transactions into columns (time order, a page at a
// time), resolves parties through shared customer ids, phones, e-mails and accounts, scores every
// party as sender and receiver (src/payments/loader.ts), and stores what changed (src/payments/stages.ts).

import type { Store } from '../store/database.ts';
import { listAlertRows } from '../store/payments.ts';
import { markPending } from '../store/pending.ts';
import { runStage, type StageRun, type StageStore } from '../runtime/stage.ts';
import { paymentScoresStage } from './stages.ts';
import type { ScoreOptions } from './loader.ts';

export { TxnLoader, type ScoreOptions } from './loader.ts';

/** What a scoring run did. */
export interface ScoreSummary {
  transactions: number;
  parties: number;
  hubKeys: number;
  scored: number;
  alerts: { senders: number; receivers: number };
  ms: number;
}

/** Scores every stored transaction's parties and stores the parties, nodes and scores that changed. */
export async function scorePayments(store: StageStore, opts: ScoreOptions = {}): Promise<ScoreSummary> {
  const t0 = Date.now();
  await markPending(store.db, 'payment-scores', ['all']);
  return { ...paymentScoreSummary(await runStage(store, paymentScoresStage(opts))), ms: Date.now() - t0 };
}

/** A payment-scores stage run in words a user reads. */
export function paymentScoreSummary(run: StageRun): ScoreSummary {
  const n = (k: string): number => run.stats[k] ?? 0;
  return {
    transactions: n('transactions'),
    parties: n('parties'),
    hubKeys: n('hubKeys'),
    scored: n('scored'),
    alerts: { senders: n('alertSenders'), receivers: n('alertReceivers') },
    ms: run.ms,
  };
}

/** An alert as `bantay payments alerts --json` prints it. */
export interface PaymentAlert {
  party: string;
  role: 'sender' | 'receiver';
  score: number;
  reasons: { rule: string; points: number | null; why: string; evidence: string }[];
  label: string;
  country: string | null;
  keys: string[];
  customers: string[];
}

/** Alerts, highest score first (ties by party id). */
export async function listAlerts(store: Pick<Store, 'db'>, limit = 100): Promise<PaymentAlert[]> {
  const rows = await listAlertRows(store.db, limit);
  return rows.map((r) => ({
    party: r.partyId,
    role: r.role,
    score: r.score,
    reasons: r.reasons as PaymentAlert['reasons'],
    label: r.label,
    country: r.country,
    keys: r.keys,
    customers: r.customers,
  }));
}
