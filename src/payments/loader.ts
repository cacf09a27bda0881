// Transactions as columns plus the party graph, resolved and scored in memory (the compute of the
// payment-scores stage, src/payments/stages.ts).
import type { PartyRow, ScoreRow, ScoringTxn } from '../store/payments.ts';
import { ColumnBuilder, resolveParties } from './columns.ts';
import { detect, reasonsOf, type DetectOptions } from './detect.ts';
import { computeFeatures, DEFAULT_FEATURE_PARAMS, type PartyFeatures } from './features.ts';
import { DEFAULT_INDICATOR_PARAMS, rowFlags, senderLocalHour, type IndicatorParams } from './indicators.ts';

/** Options of a scoring run. */
export interface ScoreOptions extends DetectOptions {
  /** A key shared by more nodes than this joins none of them (default 25). */
  hubCap?: number;
  indicators?: IndicatorParams;
}

// Which kind of key names a party best (a phone is what reports carry most).
const KEY_RANK = ['phone:', 'email:', 'wallet:', 'account:'];
function keyRank(k: string): number {
  const i = KEY_RANK.findIndex((p) => k.startsWith(p));
  return i < 0 ? KEY_RANK.length : i;
}

function mostCommon(m: Map<string, number> | undefined): string | null {
  if (!m) return null;
  let best: string | null = null;
  let n = -1;
  for (const [k, v] of m) if (v > n || (v === n && best !== null && k < best)) [best, n] = [k, v];
  return best;
}

/** Transactions as columns plus the party graph, built row by row (time order). */
export class TxnLoader {
  private readonly nodeIds = new Map<string, number>();
  private readonly keyIds = new Map<string, number>();
  private readonly providerIds = new Map<string, number>();
  private readonly nodeNames: Map<string, number>[] = [];
  private readonly nodeCountries: Map<string, number>[] = [];
  readonly b = new ColumnBuilder(1 << 14);

  constructor(
    private readonly usdPhp: number,
    private readonly ind: IndicatorParams = DEFAULT_INDICATOR_PARAMS,
  ) {}

  private id(m: Map<string, number>, s: string): number {
    let id = m.get(s);
    if (id === undefined) m.set(s, (id = m.size));
    return id;
  }

  private note(arr: Map<string, number>[], id: number, v: string | null): void {
    if (!v) return;
    const m = (arr[id] ??= new Map());
    m.set(v, (m.get(v) ?? 0) + 1);
  }

  /** Adds one transaction (they must arrive in time order). */
  add(t: ScoringTxn): void {
    const s = this.id(this.nodeIds, t.senderNode);
    const r = this.id(this.nodeIds, t.receiverNode);
    for (const k of t.senderKeys) this.b.edge(s, this.id(this.keyIds, k));
    for (const k of t.receiverKeys) this.b.edge(r, this.id(this.keyIds, k));
    this.note(this.nodeNames, s, t.senderName);
    this.note(this.nodeNames, r, t.receiverName);
    this.note(this.nodeCountries, s, t.senderCountry);
    this.note(this.nodeCountries, r, t.receiverCountry);
    const pv = Math.min(65535, this.id(this.providerIds, t.provider));
    const usd = t.amountPhp / this.usdPhp;
    const flags = rowFlags(
      {
        usd,
        round: t.round,
        localHour: senderLocalHour(t.ts, t.tsOffset, t.senderCountry),
        channel: t.channel?.toLowerCase() ?? null,
        purpose: t.purpose,
        senderName: t.senderName,
        senderCountry: t.senderCountry,
        receiverName: t.receiverName,
        receiverCountry: t.receiverCountry,
      },
      this.ind,
    );
    this.b.push(t.ts, usd, flags, s, r, pv);
  }

  /** The features of every party, and which party a node belongs to (for explanations and tests). */
  inspect(opts: ScoreOptions = {}): { features: PartyFeatures; partyOf: (node: string) => number } {
    const { partyOfNode, count } = resolveParties(this.b.nodeKeys(this.nodeIds.size, this.keyIds.size), opts.hubCap ?? 25);
    const cols = this.b.columns();
    const sp = new Int32Array(cols.n);
    const rp = new Int32Array(cols.n);
    for (let i = 0; i < cols.n; i++) {
      sp[i] = partyOfNode[cols.senderNode[i]!]!;
      rp[i] = partyOfNode[cols.receiverNode[i]!]!;
    }
    return {
      features: computeFeatures(cols, sp, rp, count, { ...DEFAULT_FEATURE_PARAMS, ...opts.features }),
      partyOf: (n) => partyOfNode[this.nodeIds.get(n) ?? -1] ?? -1,
    };
  }

  /** Resolves parties and scores them; party rows, node mapping and outcomes with party ids. */
  score(opts: ScoreOptions = {}): { parties: PartyRow[]; nodes: [string, string][]; scores: ScoreRow[]; transactions: number; hubKeys: number } {
    const b = this.b;
    const cols = b.columns();
    const { partyOfNode, count, hubKeys } = resolveParties(b.nodeKeys(this.nodeIds.size, this.keyIds.size), opts.hubCap ?? 25);
    const det = detect(cols, partyOfNode, count, opts);
    const nodeNames = [...this.nodeIds.keys()];
    const keyNames = [...this.keyIds.keys()];
    const hub = new Set(hubKeys);
    const pKeys: Set<string>[] = Array.from({ length: count }, () => new Set());
    for (let e = 0; e < b.edges; e++) if (!hub.has(b.eKey[e]!)) pKeys[partyOfNode[b.eNode[e]!]!]!.add(keyNames[b.eKey[e]!]!);
    const pCustomers: string[][] = Array.from({ length: count }, () => []);
    const pNames: Map<string, number>[] = Array.from({ length: count }, () => new Map());
    const pCountries: Map<string, number>[] = Array.from({ length: count }, () => new Map());
    const pNodes: string[][] = Array.from({ length: count }, () => []);
    nodeNames.forEach((n, i) => {
      const p = partyOfNode[i]!;
      pNodes[p]!.push(n);
      if (n.startsWith('customer:')) pCustomers[p]!.push(n.slice('customer:'.length));
      for (const [k, v] of this.nodeNames[i] ?? []) pNames[p]!.set(k, (pNames[p]!.get(k) ?? 0) + v);
      for (const [k, v] of this.nodeCountries[i] ?? []) pCountries[p]!.set(k, (pCountries[p]!.get(k) ?? 0) + v);
    });
    const partyId: string[] = [];
    const taken = new Set<string>();
    const parties: PartyRow[] = [];
    for (let p = 0; p < count; p++) {
      const keys = [...pKeys[p]!].sort((a, c) => keyRank(a) - keyRank(c) || (a < c ? -1 : a > c ? 1 : 0));
      let id = keys[0] ?? pNodes[p]!.sort()[0]!;
      // A hub key is left out of every party, so two parties could otherwise pick one name.
      if (taken.has(id)) id = `${id}#${p}`;
      taken.add(id);
      partyId.push(id);
      parties.push({
        partyId: id,
        label: mostCommon(pNames[p]) ?? id,
        country: mostCommon(pCountries[p]),
        keys,
        customers: pCustomers[p]!.sort(),
        sent: det.features.sender.n[p]!,
        received: det.features.receiver.n[p]!,
      });
    }
    const nodes: [string, string][] = nodeNames.map((n, i) => [n, partyId[partyOfNode[i]!]!]);
    const scores: ScoreRow[] = det.outcomes.map((o) => ({
      partyId: partyId[o.party]!,
      role: o.role,
      score: o.score,
      alerted: o.alerted,
      reasons: reasonsOf(o.fired),
      features: o.features,
    }));
    return { parties, nodes, scores, transactions: cols.n, hubKeys: hubKeys.length };
  }
}
