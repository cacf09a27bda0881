// Detection: features per party, then the sender and receiver rulesets through the triage rules
// engine, with two rounds of network propagation (a receiver flagged on its own indicators makes
// "pays a flagged receiver" true for its payers, and payers flagged on their own make "paid by
// flagged senders" true for the receivers they share). Pure: columns in, scored parties out.

import {
  compileRuleset,
  type CompiledRuleset,
  type FeatureCatalogue,
  type FeatureRecord,
  type FiredRule,
  type Outcome,
  type Ruleset,
} from '../model/rule-engine.ts';
import type { TxnColumns } from './columns.ts';
import { computeFeatures, DEFAULT_FEATURE_PARAMS, networkFeatures, receiverRecord, senderRecord, type FeatureParams, type PartyFeatures } from './features.ts';
import { DEFAULT_RECEIVER_RULES, DEFAULT_SENDER_RULES, RECEIVER_CATALOGUE, SENDER_CATALOGUE } from './rules.ts';

/** Options of a detection run. */
export interface DetectOptions {
  senderRules?: Ruleset;
  receiverRules?: Ruleset;
  features?: Partial<FeatureParams>;
}

/** One party's outcome in one role. */
export interface PartyOutcome {
  party: number;
  role: 'sender' | 'receiver';
  score: number;
  tier: string;
  alerted: boolean;
  fired: FiredRule[];
  features: FeatureRecord;
}

/** What detection found: every party with a positive score in a role, best first. */
export interface Detection {
  outcomes: PartyOutcome[];
  features: PartyFeatures;
  senderParty: Int32Array;
  receiverParty: Int32Array;
}

const ALERT_TIER = 'ALERT';

/** Scores every party as sender and as receiver. */
export function detect(c: TxnColumns, partyOfNode: Int32Array, parties: number, opts: DetectOptions = {}): Detection {
  const senderParty = new Int32Array(c.n);
  const receiverParty = new Int32Array(c.n);
  for (let i = 0; i < c.n; i++) {
    senderParty[i] = partyOfNode[c.senderNode[i]!]!;
    receiverParty[i] = partyOfNode[c.receiverNode[i]!]!;
  }
  const f = computeFeatures(c, senderParty, receiverParty, parties, { ...DEFAULT_FEATURE_PARAMS, ...opts.features });
  const sSet = opts.senderRules ?? DEFAULT_SENDER_RULES;
  const rSet = opts.receiverRules ?? DEFAULT_RECEIVER_RULES;
  const sRules = compileRuleset(sSet, SENDER_CATALOGUE);
  const rRules = compileRuleset(rSet, RECEIVER_CATALOGUE);
  const sGate = gateOf(sSet, SENDER_CATALOGUE);
  const rGate = gateOf(rSet, RECEIVER_CATALOGUE);
  const flaggedS = new Uint8Array(parties);
  const flaggedR = new Uint8Array(parties);
  const sOut = new Array<Outcome | undefined>(parties);
  const rOut = new Array<Outcome | undefined>(parties);
  // Only a party no cap rule holds down can reach ALERT: the others are skipped (most parties).
  const round = (
    n: Int32Array,
    record: (f: PartyFeatures, p: number) => FeatureRecord,
    gate: (r: FeatureRecord) => boolean,
    rules: CompiledRuleset,
    out: (Outcome | undefined)[],
    flagged: Uint8Array,
  ): void => {
    for (let p = 0; p < parties; p++) {
      if (n[p] === 0) continue;
      const rec = record(f, p);
      if (!gate(rec)) {
        out[p] = undefined;
        flagged[p] = 0;
        continue;
      }
      const o = rules.evaluate(rec);
      out[p] = o;
      flagged[p] = o.tier === ALERT_TIER ? 1 : 0;
    }
  };
  // Round 1 on own indicators, round 2 with what the other side's flags add.
  round(f.receiver.n, receiverRecord, rGate, rRules, rOut, flaggedR);
  networkFeatures(c, senderParty, receiverParty, f, flaggedS, flaggedR);
  round(f.sender.n, senderRecord, sGate, sRules, sOut, flaggedS);
  networkFeatures(c, senderParty, receiverParty, f, flaggedS, flaggedR);
  round(f.receiver.n, receiverRecord, rGate, rRules, rOut, flaggedR);
  networkFeatures(c, senderParty, receiverParty, f, flaggedS, flaggedR);
  round(f.sender.n, senderRecord, sGate, sRules, sOut, flaggedS);

  const outcomes: PartyOutcome[] = [];
  for (let p = 0; p < parties; p++) {
    const s = sOut[p];
    if (s && s.score > 0)
      outcomes.push({ party: p, role: 'sender', score: s.score, tier: s.tier, alerted: s.tier === ALERT_TIER, fired: s.fired, features: senderRecord(f, p) });
    const r = rOut[p];
    if (r && r.score > 0)
      outcomes.push({
        party: p,
        role: 'receiver',
        score: r.score,
        tier: r.tier,
        alerted: r.tier === ALERT_TIER,
        fired: r.fired,
        features: receiverRecord(f, p),
      });
  }
  outcomes.sort((a, b) => b.score - a.score || a.party - b.party || (a.role < b.role ? -1 : 1));
  return { outcomes, features: f, senderParty, receiverParty };
}

/** Whether a record escapes every cap rule of a ruleset (compiled through the same engine); always true without cap rules. */
export function gateOf(set: Ruleset, cat: FeatureCatalogue): (r: FeatureRecord) => boolean {
  const caps = set.rules.filter((r) => r.enabled !== false && 'cap' in r.effect);
  if (caps.length === 0) return () => true;
  const gate = compileRuleset(
    {
      name: `${set.name}-gate`,
      scores: { open: { min: 0, max: caps.length } },
      combine: { open: 1 },
      tiers: [
        { name: 'OPEN', min: caps.length },
        { name: 'CAPPED', min: 0 },
      ],
      rules: caps.map((r) => ({ id: r.id, description: r.description, source: r.source, when: { not: r.when }, effect: { add: 'open', value: 1 } })),
    },
    cat,
  );
  return (r) => gate.evaluate(r).tier === 'OPEN';
}

/** An alert's reasons in order: what raised the score (largest first), then what held it down. */
export function reasonsOf(fired: FiredRule[]): { rule: string; points: number | null; why: string; evidence: string }[] {
  const ranked = fired.filter((r) => r.contribution !== null).sort((a, b) => (b.contribution ?? 0) - (a.contribution ?? 0));
  const other = fired.filter((r) => r.contribution === null);
  return [...ranked, ...other].map((r) => ({ rule: r.rule, points: r.contribution, why: r.description, evidence: r.evidence }));
}
