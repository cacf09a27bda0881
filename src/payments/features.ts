// Per-party features over the transaction columns (domain.md §9.3 F1–F11, F15–F17), computed in
// a few linear passes with typed arrays: each feature is a plain count, share or flag that the
// rules (src/payments/rules.ts) test and that the alert shows as evidence.

import { F, indexBy, type PartyIndex, type TxnColumns } from './columns.ts';
import type { FeatureRecord } from '../model/rule-engine.ts';

const DAY = 86_400_000;

/** Thresholds of the features themselves (the rules hold the scoring thresholds). */
export interface FeatureParams {
  /** F2: the sliding window of the frequency count. */
  windowDays: number;
  /** F17: a burst is payments no more than this apart… */
  sextortionGapHours: number;
  /** …totalling at least this (US$; through e-wallets, which domestic transfers use too) or this (gift cards, P2P, crypto), and at most this. */
  sextortionMinUsd: number;
  sextortionMinUsdStrong: number;
  sextortionMaxUsd: number;
  /** …whose first is at most this (US$; FATF: first under €250). */
  sextortionFirstMaxUsd: number;
  /** F15: inflows spent within this many hours count as cash-out. */
  cashOutHours: number;
  /** F15: a receiver is new when first seen this many days after the data starts; dormant after a gap this long. */
  newAfterDays: number;
  dormantDays: number;
}

/** Defaults after domain.md §9.2–9.3 and §12.3. */
export const DEFAULT_FEATURE_PARAMS: FeatureParams = {
  windowDays: 30,
  sextortionGapHours: 6,
  sextortionMinUsd: 200,
  sextortionMinUsdStrong: 100,
  sextortionMaxUsd: 1650,
  sextortionFirstMaxUsd: 275,
  cashOutHours: 48,
  newAfterDays: 30,
  dormantDays: 60,
};

/** Per-party features, one entry per party in each array. */
export interface PartyFeatures {
  parties: number;
  bySender: PartyIndex;
  byReceiver: PartyIndex;
  sender: {
    n: Int32Array;
    band: Int32Array;
    night: Int32Array;
    round: Int32Array;
    keyword: Int32Array;
    handle: Int32Array;
    work: Int32Array;
    family: Int32Array;
    corridor: Int32Array;
    risk: Int32Array;
    max30: Int32Array;
    medianGapDays: Float32Array;
    medianUsd: Float32Array;
    escalation: Uint8Array;
    fanOut: Int32Array;
    providers: Int32Array;
    org: Uint8Array;
    sxBurst: Uint8Array;
    sxPayments: Int32Array;
    sxUsd: Float32Array;
    paysFlagged: Int32Array;
  };
  receiver: {
    n: Int32Array;
    foreign: Int32Array;
    fanIn: Int32Array;
    band: Int32Array;
    night: Int32Array;
    round: Int32Array;
    keyword: Int32Array;
    handle: Int32Array;
    corridor: Int32Array;
    family: Int32Array;
    max30: Int32Array;
    newOrDormant: Uint8Array;
    cashOutShare: Float32Array;
    providers: Int32Array;
    org: Uint8Array;
    sxBurst: Uint8Array;
    sxSenders: Int32Array;
    paidByFlagged: Int32Array;
    topSenderShare: Float32Array;
  };
}

function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  xs.sort((a, b) => a - b);
  const m = xs.length >> 1;
  return xs.length % 2 ? xs[m]! : (xs[m - 1]! + xs[m]!) / 2;
}

/** Computes every party feature except the network ones (see `networkFeatures`). */
export function computeFeatures(
  c: TxnColumns,
  senderParty: Int32Array,
  receiverParty: Int32Array,
  parties: number,
  p: FeatureParams = DEFAULT_FEATURE_PARAMS,
): PartyFeatures {
  const bySender = indexBy(senderParty, parties);
  const byReceiver = indexBy(receiverParty, parties);
  const I = (): Int32Array => new Int32Array(parties);
  const f: PartyFeatures = {
    parties,
    bySender,
    byReceiver,
    sender: {
      n: I(),
      band: I(),
      night: I(),
      round: I(),
      keyword: I(),
      handle: I(),
      work: I(),
      family: I(),
      corridor: I(),
      risk: I(),
      max30: I(),
      medianGapDays: new Float32Array(parties).fill(NaN),
      medianUsd: new Float32Array(parties).fill(NaN),
      escalation: new Uint8Array(parties),
      fanOut: I(),
      providers: I(),
      org: new Uint8Array(parties),
      sxBurst: new Uint8Array(parties),
      sxPayments: I(),
      sxUsd: new Float32Array(parties),
      paysFlagged: I(),
    },
    receiver: {
      n: I(),
      foreign: I(),
      fanIn: I(),
      band: I(),
      night: I(),
      round: I(),
      keyword: I(),
      handle: I(),
      corridor: I(),
      family: I(),
      max30: I(),
      newOrDormant: new Uint8Array(parties),
      cashOutShare: new Float32Array(parties),
      providers: I(),
      org: new Uint8Array(parties),
      sxBurst: new Uint8Array(parties),
      sxSenders: I(),
      paidByFlagged: I(),
      topSenderShare: new Float32Array(parties),
    },
  };
  const window = p.windowDays * DAY;
  const stamp = new Int32Array(parties);
  const provStamp = new Int32Array(65536);
  const count = new Int32Array(parties);
  const S = f.sender;
  const R = f.receiver;
  const gapMs = p.sextortionGapHours * 3_600_000;

  // --- Senders ------------------------------------------------------------------------------
  for (let s = 0; s < parties; s++) {
    const a = bySender.start[s]!;
    const b = bySender.start[s + 1]!;
    if (a === b) continue;
    const tag = s + 1;
    S.n[s] = b - a;
    let lo = a;
    const usds: number[] = [];
    for (let k = a; k < b; k++) {
      const i = bySender.rows[k]!;
      const fl = c.flags[i]!;
      if (fl & F.BAND) S.band[s]!++;
      if (fl & F.NIGHT) S.night[s]!++;
      if (fl & F.ROUND) S.round[s]!++;
      if (fl & F.KEYWORD) S.keyword[s]!++;
      if (fl & F.HANDLE) S.handle[s]!++;
      if (fl & F.WORK) S.work[s]!++;
      if (fl & F.FAMILY) S.family[s]!++;
      if (fl & F.CORRIDOR) S.corridor[s]!++;
      if (fl & F.RISK_CHANNEL) S.risk[s]!++;
      if (fl & F.SENDER_ORG) S.org[s] = 1;
      const r = receiverParty[i]!;
      if (fl & F.CORRIDOR && !(fl & F.FAMILY) && stamp[r] !== tag) {
        stamp[r] = tag;
        S.fanOut[s]!++;
      }
      const pv = c.provider[i]!;
      if (provStamp[pv] !== tag) {
        provStamp[pv] = tag;
        S.providers[s]!++;
      }
      while (c.ts[i]! - c.ts[bySender.rows[lo]!]! > window) lo++;
      if (k - lo + 1 > S.max30[s]!) S.max30[s] = k - lo + 1;
      usds.push(c.usd[i]!);
    }
    const n = b - a;
    if (n >= 2) {
      const gaps: number[] = [];
      for (let k = a + 1; k < b; k++) gaps.push((c.ts[bySender.rows[k]!]! - c.ts[bySender.rows[k - 1]!]!) / DAY);
      S.medianGapDays[s] = median(gaps.slice());
      if (n >= 4) {
        // F3: the later half pays more, more often, than the earlier half.
        const h = n >> 1;
        const amtUp = median(usds.slice(n - h)) >= 1.2 * median(usds.slice(0, h));
        const gapsDown = median(gaps.slice(gaps.length - (h - 1))) < median(gaps.slice(0, h - 1));
        if (amtUp && gapsDown) S.escalation[s] = 1;
      }
    }
    S.medianUsd[s] = median(usds);
    sextortionBursts(c, bySender, receiverParty, s, gapMs, p, f);
  }

  // --- Receivers ----------------------------------------------------------------------------
  const dataStart = c.n > 0 ? c.ts[0]! : 0;
  for (let r = 0; r < parties; r++) {
    const a = byReceiver.start[r]!;
    const b = byReceiver.start[r + 1]!;
    if (a === b) continue;
    const tag = -(r + 1);
    R.n[r] = b - a;
    let lo = -1;
    const foreignRows: number[] = [];
    let inUsd = 0;
    let top = 0;
    for (let k = a; k < b; k++) {
      const i = byReceiver.rows[k]!;
      const fl = c.flags[i]!;
      if (fl & F.FAMILY) R.family[r]!++;
      if (fl & F.RECEIVER_ORG) R.org[r] = 1;
      const pv = c.provider[i]!;
      if (provStamp[pv] !== tag) {
        provStamp[pv] = tag;
        R.providers[r]!++;
      }
      const s = senderParty[i]!;
      if (stamp[s] !== tag) {
        stamp[s] = tag;
        count[s] = 0;
      }
      count[s]!++;
      if (count[s]! > top) top = count[s]!;
      if (!(fl & F.FOREIGN)) continue;
      foreignRows.push(i);
      inUsd += c.usd[i]!;
      R.foreign[r]!++;
      if (fl & F.BAND) R.band[r]!++;
      if (fl & F.NIGHT) R.night[r]!++;
      if (fl & F.ROUND) R.round[r]!++;
      if (fl & F.KEYWORD) R.keyword[r]!++;
      if (fl & F.HANDLE) R.handle[r]!++;
      if (fl & F.CORRIDOR) R.corridor[r]!++;
      if (lo < 0) lo = 0;
      while (c.ts[i]! - c.ts[foreignRows[lo]!]! > window) lo++;
      if (foreignRows.length - lo > R.max30[r]!) R.max30[r] = foreignRows.length - lo;
    }
    R.topSenderShare[r] = top / (b - a);
    // F4: distinct foreign senders with no family tie and not a business (a second stamp pass).
    const tag2 = -(r + 1) - parties;
    for (const i of foreignRows) {
      const fl = c.flags[i]!;
      if (fl & (F.FAMILY | F.SENDER_ORG)) continue;
      const s = senderParty[i]!;
      if (stamp[s] !== tag2) {
        stamp[s] = tag2;
        R.fanIn[r]!++;
      }
    }
    // F15: new (first seen well after the data starts) or dormant (a long gap), then foreign inflows at once.
    if (foreignRows.length >= 3) {
      const firstAll = c.ts[byReceiver.rows[a]!]!;
      const burstAfter = (t0: number): boolean => {
        let n = 0;
        for (const i of foreignRows) if (c.ts[i]! >= t0 && c.ts[i]! - t0 <= window) n++;
        return n >= 3;
      };
      if (firstAll - dataStart >= p.newAfterDays * DAY && burstAfter(firstAll)) R.newOrDormant[r] = 1;
      else {
        for (let k = a + 1; k < b; k++) {
          const t = c.ts[byReceiver.rows[k]!]!;
          if (t - c.ts[byReceiver.rows[k - 1]!]! >= p.dormantDays * DAY && burstAfter(t)) {
            R.newOrDormant[r] = 1;
            break;
          }
        }
      }
    }
    // F15: rapid cash-out: what the party sends on within hours of foreign money arriving.
    const oa = bySender.start[r]!;
    const ob = bySender.start[r + 1]!;
    if (ob > oa && inUsd > 0) {
      let out = 0;
      let j = 0;
      for (let k = oa; k < ob; k++) {
        const i = bySender.rows[k]!;
        const t = c.ts[i]!;
        while (j < foreignRows.length && c.ts[foreignRows[j]!]! <= t) j++;
        if (j > 0 && t - c.ts[foreignRows[j - 1]!]! <= p.cashOutHours * 3_600_000) out += c.usd[i]!;
      }
      R.cashOutShare[r] = Math.min(1, out / inUsd);
    }
  }
  return f;
}

// F17: a sender's quick run of payments to one receiver (gaps under a few hours), small first,
// capped total, through gift cards, P2P, crypto or e-wallets, to NG/CI/PH, and nothing after.
function sextortionBursts(c: TxnColumns, by: PartyIndex, receiverParty: Int32Array, s: number, gapMs: number, p: FeatureParams, f: PartyFeatures): void {
  const a = by.start[s]!;
  const b = by.start[s + 1]!;
  if (b - a < 2) return;
  for (let k = a; k < b; k++) {
    const i = by.rows[k]!;
    const fl = c.flags[i]!;
    if (!(fl & (F.SX_CHANNEL | F.EWALLET)) || !(fl & F.SX_DEST) || fl & (F.FAMILY | F.SENDER_ORG)) continue;
    const r = receiverParty[i]!;
    if (c.usd[i]! > p.sextortionFirstMaxUsd) continue;
    // Only the first payment of a run starts one.
    let prev = -1;
    for (let q = k - 1; q >= a; q--)
      if (receiverParty[by.rows[q]!] === r) {
        prev = q;
        break;
      }
    if (prev >= 0 && c.ts[i]! - c.ts[by.rows[prev]!]! <= gapMs) continue;
    let n = 1;
    let total = c.usd[i]!;
    let last = c.ts[i]!;
    let later = false;
    let strong = (fl & F.SX_CHANNEL) !== 0;
    for (let q = k + 1; q < b; q++) {
      const j = by.rows[q]!;
      if (receiverParty[j] !== r) continue;
      const fj = c.flags[j]!;
      if (c.ts[j]! - last <= gapMs && fj & (F.SX_CHANNEL | F.EWALLET)) {
        strong &&= (fj & F.SX_CHANNEL) !== 0;
        n++;
        total += c.usd[j]!;
        last = c.ts[j]!;
      } else {
        later = true;
        break;
      }
    }
    if (n >= 2 && !later && total >= (strong ? p.sextortionMinUsdStrong : p.sextortionMinUsd) && total <= p.sextortionMaxUsd) {
      f.sender.sxBurst[s] = 1;
      f.sender.sxPayments[s] = Math.max(f.sender.sxPayments[s]!, n);
      f.sender.sxUsd[s] = Math.max(f.sender.sxUsd[s]!, total);
      if (!f.receiver.sxBurst[r]) f.receiver.sxBurst[r] = 1;
      f.receiver.sxSenders[r]!++;
    }
  }
}

/** Network features: distinct flagged receivers a sender pays, and distinct flagged senders paying a receiver (family ties excluded). */
export function networkFeatures(
  c: TxnColumns,
  senderParty: Int32Array,
  receiverParty: Int32Array,
  f: PartyFeatures,
  flaggedSender: Uint8Array,
  flaggedReceiver: Uint8Array,
): void {
  const stamp = new Int32Array(f.parties);
  const { bySender, byReceiver } = f;
  f.sender.paysFlagged.fill(0);
  f.receiver.paidByFlagged.fill(0);
  for (let s = 0; s < f.parties; s++) {
    for (let k = bySender.start[s]!; k < bySender.start[s + 1]!; k++) {
      const i = bySender.rows[k]!;
      const r = receiverParty[i]!;
      if (!flaggedReceiver[r] || r === s || c.flags[i]! & F.FAMILY || stamp[r] === s + 1) continue;
      stamp[r] = s + 1;
      f.sender.paysFlagged[s]!++;
    }
  }
  stamp.fill(0);
  for (let r = 0; r < f.parties; r++) {
    for (let k = byReceiver.start[r]!; k < byReceiver.start[r + 1]!; k++) {
      const i = byReceiver.rows[k]!;
      const s = senderParty[i]!;
      if (!flaggedSender[s] || r === s || c.flags[i]! & F.FAMILY || stamp[s] === r + 1) continue;
      stamp[s] = r + 1;
      f.receiver.paidByFlagged[r]!++;
    }
  }
}

const r2 = (x: number): number => Math.round(x * 100) / 100;
const share = (x: number, n: number): number => (n > 0 ? r2(x / n) : 0);

/** The feature record of a party as a sender (what the sender rules read). */
export function senderRecord(f: PartyFeatures, s: number): FeatureRecord {
  const S = f.sender;
  const n = S.n[s]!;
  return {
    transfers: n,
    bandShare: share(S.band[s]!, n),
    nightShare: share(S.night[s]!, n),
    roundShare: share(S.round[s]!, n),
    purposeShare: share(S.keyword[s]!, n),
    handle: S.handle[s]! > 0,
    workShare: share(S.work[s]!, n),
    familyShare: share(S.family[s]!, n),
    corridorShare: share(S.corridor[s]!, n),
    riskChannelShare: share(S.risk[s]!, n),
    max30: S.max30[s]!,
    medianGapDays: Number.isNaN(S.medianGapDays[s]!) ? null : r2(S.medianGapDays[s]!),
    medianUsd: Number.isNaN(S.medianUsd[s]!) ? null : r2(S.medianUsd[s]!),
    escalation: S.escalation[s] === 1,
    fanOut: S.fanOut[s]!,
    providers: S.providers[s]!,
    organisation: S.org[s] === 1,
    sextortionBurst: S.sxBurst[s] === 1,
    sextortionPayments: S.sxPayments[s]!,
    sextortionUsd: r2(S.sxUsd[s]!),
    paysFlaggedReceivers: S.paysFlagged[s]!,
  };
}

/** The feature record of a party as a receiver (what the receiver rules read). */
export function receiverRecord(f: PartyFeatures, r: number): FeatureRecord {
  const R = f.receiver;
  const n = R.n[r]!;
  const fn = R.foreign[r]!;
  return {
    transfers: n,
    foreignTransfers: fn,
    fanIn: R.fanIn[r]!,
    bandShare: share(R.band[r]!, fn),
    nightShare: share(R.night[r]!, fn),
    roundShare: share(R.round[r]!, fn),
    purposeShare: share(R.keyword[r]!, fn),
    handle: R.handle[r]! > 0,
    corridorShare: share(R.corridor[r]!, fn),
    familyShare: share(R.family[r]!, n),
    max30: R.max30[r]!,
    newOrDormant: R.newOrDormant[r] === 1,
    cashOutShare: r2(R.cashOutShare[r]!),
    providers: R.providers[r]!,
    organisation: R.org[r] === 1,
    sextortionBurst: R.sxBurst[r] === 1,
    sextortionSenders: R.sxSenders[r]!,
    paidByFlaggedSenders: R.paidByFlagged[r]!,
    topSenderShare: r2(R.topSenderShare[r]!),
  };
}
