// Each indicator on a hand-made case and its near miss, then the legitimate look-alikes held down
// and a facilitator network flagged. Rows go through the real record check (toTxnRow) and the
// real loader, as stored transactions would.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { toTxnRow } from '../ingest/transactions/row.ts';
import { defaultRateTable } from '../ingest/transactions/rates.ts';
import type { ScoringTxn } from '../store/payments.ts';
import { receiverRecord, senderRecord } from './features.ts';
import { TxnLoader } from './run.ts';

const rates = defaultRateTable().rates;
type Fields = Record<string, string>;
let seq = 0;

/** A payment: sender S (id), receiver R (id), US$ amount at a UTC time in days from 2026-01-01 (22:00 New York by default). */
function pay(s: string, r: string, usd: number, day: number, more: Fields = {}): Fields {
  // 22:00 in New York (UTC-5) on day 0, written with its offset.
  const utc = Date.UTC(2026, 0, 2, 3) + day * 86_400_000;
  const t = new Date(utc - 5 * 3_600_000).toISOString().replace(/\.\d{3}Z$/, '-05:00');
  return {
    txn_id: `T${++seq}`,
    timestamp: t,
    amount: usd.toFixed(2),
    currency: 'USD',
    channel: 'remittance',
    provider: 'Remitly',
    sender_id: s,
    sender_name: `John ${s}`,
    sender_country: 'US',
    receiver_id: r,
    receiver_name: `Maria ${r}`,
    receiver_country: 'PH',
    purpose: 'gift',
    ...more,
  };
}

function load(rows: Fields[]): TxnLoader {
  const txns: ScoringTxn[] = rows
    .map((f, i) => {
      const r = toTxnRow(f, rates, { file: 't', line: i + 2 });
      if (!('row' in r)) throw new Error(r.reason);
      const x = r.row;
      return {
        ts: Date.parse(x.ts),
        tsOffset: x.tsOffset,
        amountPhp: x.amountPhp,
        round: x.round,
        channel: x.channel,
        provider: x.provider,
        senderNode: x.senderNode,
        senderName: x.senderName,
        senderCountry: x.senderCountry,
        senderKeys: x.senderKeys,
        receiverNode: x.receiverNode,
        receiverName: x.receiverName,
        receiverCountry: x.receiverCountry,
        receiverKeys: x.receiverKeys,
        purpose: x.purpose,
      };
    })
    .sort((a, b) => a.ts - b.ts);
  const l = new TxnLoader(57);
  for (const t of txns) l.add(t);
  return l;
}

const node = (id: string, provider = 'remitly'): string => `customer:${provider}|${id}`;
function sender(rows: Fields[], id: string, provider?: string): Record<string, unknown> {
  const { features, partyOf } = load(rows).inspect();
  return senderRecord(features, partyOf(node(id, provider)));
}
function receiver(rows: Fields[], id: string, provider?: string): Record<string, unknown> {
  const { features, partyOf } = load(rows).inspect();
  return receiverRecord(features, partyOf(node(id, provider)));
}

describe('indicators, each with its near miss', () => {
  test('F1 amount band', () => {
    assert.equal(sender([pay('S', 'R', 50, 0), pay('S', 'R', 60, 3)], 'S').bandShare, 1);
    assert.equal(sender([pay('S', 'R', 250, 0), pay('S', 'R', 260, 3)], 'S').bandShare, 0);
  });

  test('F2 frequency: payments within 30 days, median gap', () => {
    const often = sender(
      [0, 5, 9, 14].map((d) => pay('S', 'R', 30, d)),
      'S',
    );
    assert.equal(often.max30, 4);
    assert.ok((often.medianGapDays as number) < 20);
    const seldom = sender(
      [0, 40, 80].map((d) => pay('S', 'R', 30, d)),
      'S',
    );
    assert.equal(seldom.max30, 1);
  });

  test('F3 escalation: more money, more often', () => {
    assert.equal(
      sender(
        [
          [0, 20],
          [12, 22],
          [20, 45],
          [23, 60],
        ].map(([d, a]) => pay('S', 'R', a!, d!)),
        'S',
      ).escalation,
      true,
    );
    assert.equal(
      sender(
        [
          [0, 40],
          [8, 40],
          [16, 40],
          [24, 40],
        ].map(([d, a]) => pay('S', 'R', a!, d!)),
        'S',
      ).escalation,
      false,
    );
  });

  test('F4 fan-in: unrelated foreign senders; family senders do not count', () => {
    assert.equal(
      receiver(
        ['A', 'B', 'C'].map((s, i) => pay(s, 'R', 30, i)),
        'R',
      ).fanIn,
      3,
    );
    assert.equal(
      receiver(
        ['A', 'B', 'C'].map((s, i) => pay(s, 'R', 30, i, { sender_name: `Jose Santos ${s}`, receiver_name: 'SANTOS, Maria' })),
        'R',
      ).fanIn,
      0,
    );
  });

  test('F5 fan-out: unrelated receivers in destination countries', () => {
    assert.equal(
      sender(
        ['R1', 'R2', 'R3'].map((r, i) => pay('S', r, 30, i)),
        'S',
      ).fanOut,
      3,
    );
    assert.equal(
      sender(
        ['R1', 'R1', 'R1'].map((r, i) => pay('S', r, 30, i)),
        'S',
      ).fanOut,
      1,
    );
  });

  test('F6 family tie by family name, in any order and case', () => {
    assert.equal(sender([pay('S', 'R', 30, 0, { sender_name: 'REYES JOSE', receiver_name: 'Ana Reyes' })], 'S').familyShare, 1);
    assert.equal(sender([pay('S', 'R', 30, 0, { sender_name: 'Jose Smith', receiver_name: 'Jose Reyes' })], 'S').familyShare, 0);
  });

  test('F7 corridor: demand country to destination country', () => {
    assert.equal(sender([pay('S', 'R', 30, 0)], 'S').corridorShare, 1);
    assert.equal(sender([pay('S', 'R', 30, 0, { sender_country: 'PH' })], 'S').corridorShare, 0);
  });

  test('F8 sender-local night, also when the provider wrote its own zone', () => {
    assert.equal(sender([pay('S', 'R', 30, 0)], 'S').nightShare, 1); // 22:00 in New York
    assert.equal(sender([pay('S', 'R', 30, 0, { timestamp: '2026-01-01T14:00:00-05:00' })], 'S').nightShare, 0);
    // 12:30 in Manila, written by the payout agent, is 23:30 in New York.
    assert.equal(sender([pay('S', 'R', 30, 0, { timestamp: '2026-01-02T12:30:00+08:00' })], 'S').nightShare, 1);
  });

  test('F9 round amounts', () => {
    assert.equal(sender([pay('S', 'R', 50, 0)], 'S').roundShare, 1);
    assert.equal(sender([pay('S', 'R', 47.13, 0)], 'S').roundShare, 0);
  });

  test('F10 purpose words and handles; business purposes are not', () => {
    const r = sender([pay('S', 'R', 30, 0, { purpose: 'school fees' }), pay('S', 'R', 30, 1, { purpose: 'treat fb @kuyajohn' })], 'S');
    assert.equal(r.purposeShare, 1);
    assert.equal(r.handle, true);
    const w = sender([pay('S', 'R', 30, 0, { purpose: 'invoice #20231' })], 'S');
    assert.equal(w.purposeShare, 0);
    assert.equal(w.workShare, 1);
  });

  test('F11 channel mix: several providers', () => {
    const rows = [
      pay('S', 'R', 30, 0),
      pay('S', 'R', 30, 1, { provider: 'WorldRemit', sender_id: 'S', sender_phone: '+1 202 456 1111' }),
      pay('S', 'R', 30, 2, { sender_phone: '(202) 456-1111' }),
    ];
    assert.equal(sender(rows, 'S').providers, 2); // one person: the two customer ids share a phone
    assert.equal(sender([pay('S', 'R', 30, 0), pay('S', 'R', 30, 1)], 'S').providers, 1);
  });

  test('F15 new receiver with sudden foreign inflow, and one seen from the start', () => {
    const filler = [pay('FILL1', 'FILL2', 30, 0, { sender_country: 'PH', sender_name: 'Ana Bay', receiver_name: 'Cora Dee' })];
    assert.equal(receiver([...filler, ...['A', 'B', 'C'].map((s, i) => pay(s, 'R', 30, 40 + i))], 'R').newOrDormant, true);
    assert.equal(receiver([...filler, ...['A', 'B', 'C'].map((s, i) => pay(s, 'R', 30, i * 20))], 'R').newOrDormant, false);
  });

  test('F15 rapid cash-out, and money kept', () => {
    const inflow = ['A', 'B', 'C'].map((s) => pay(s, 'R', 100, 5));
    const out = (day: number): Fields => ({
      ...pay('R', 'Z', 250, day),
      sender_name: 'Maria R',
      sender_country: 'PH',
      receiver_country: 'PH',
      receiver_name: 'Pawnshop Z',
    });
    assert.ok((receiver([...inflow, out(5.5)], 'R').cashOutShare as number) >= 0.5);
    assert.equal(receiver([...inflow, out(15)], 'R').cashOutShare, 0);
  });

  test('F17 sextortion burst: quick payments, small first, then nothing; spread out it is not one', () => {
    const sx = (hours: number[]): Fields[] =>
      hours.map((h, i) => ({
        txn_id: `X${++seq}`,
        timestamp: new Date(Date.UTC(2026, 0, 10) + h * 3_600_000).toISOString(),
        amount: String([60, 120, 150][i]),
        currency: 'USD',
        channel: 'crypto',
        provider: 'Coins.ph',
        sender_id: 'V',
        sender_name: 'Ben Cruz',
        sender_country: 'PH',
        receiver_id: 'N',
        receiver_name: 'Femi Uzor',
        receiver_country: 'NG',
      }));
    const hit = sender(sx([0, 1, 2]), 'V', 'coins.ph');
    assert.equal(hit.sextortionBurst, true);
    assert.equal(hit.sextortionPayments, 3);
    assert.equal(sender(sx([0, 30, 60]), 'V', 'coins.ph').sextortionBurst, false);
  });
});

describe('detection', () => {
  const facilitatorNetwork = (): Fields[] => {
    const rows: Fields[] = [];
    ['P1', 'P2', 'P3', 'P4'].forEach((p, k) => {
      for (let i = 0; i < 3; i++)
        rows.push(
          pay(p, 'FAC', 20 + 10 * i, k * 7 + i * 4, {
            receiver_phone: i % 2 ? '0917 123 4567' : '+639171234567',
            receiver_name: 'Lorna Bautista',
            purpose: 'school',
          }),
        );
    });
    return rows;
  };
  const alerts = (rows: Fields[]): { party: string; role: string; score: number }[] =>
    load(rows)
      .score()
      .scores.filter((s) => s.alerted)
      .map((s) => ({ party: s.partyId, role: s.role, score: s.score }));

  test('a facilitator paid by four unrelated foreign payers is flagged, and so are the payers', () => {
    const a = alerts(facilitatorNetwork());
    assert.ok(
      a.some((x) => x.role === 'receiver' && x.party === 'phone:+639171234567'),
      JSON.stringify(a),
    );
    assert.equal(a.filter((x) => x.role === 'sender').length, 4);
    const top = load(facilitatorNetwork())
      .score()
      .scores.find((s) => s.role === 'receiver')!;
    const rules = (top.reasons as { rule: string }[]).map((r) => r.rule);
    assert.ok(rules.includes('r-fan-in') && rules.includes('r-no-family'), rules.join());
  });

  test('look-alike: an overseas worker sending weekly, late, round amounts to family is not flagged', () => {
    const rows: Fields[] = [];
    for (let w = 0; w < 12; w++) {
      for (const r of ['M1', 'M2'])
        rows.push(
          pay('OFW', r, 50, w * 7, {
            sender_name: 'DELA CRUZ ROMEO',
            sender_country: 'SA',
            currency: 'USD',
            receiver_name: r === 'M1' ? 'Dela Cruz, Elena' : 'joy dela cruz',
            purpose: 'family support',
          }),
        );
    }
    assert.deepEqual(alerts(rows), []);
  });

  test('look-alike: a company paying several freelancers is not flagged', () => {
    const rows = ['F1', 'F2', 'F3', 'F4'].flatMap((r, i) =>
      [0, 14].map((d) =>
        pay('CO', r, 800, d + i, { sender_name: 'Acme Digital LLC', purpose: 'project milestone #4411', channel: 'bank', provider: 'Remitly' }),
      ),
    );
    assert.deepEqual(alerts(rows), []);
  });

  test('look-alike: a charity receiving small monthly gifts from many foreign donors is not flagged', () => {
    const rows = ['D1', 'D2', 'D3', 'D4', 'D5'].flatMap((s, i) =>
      [0, 30, 60].map((d) => pay(s, 'CH', 25, d + i, { receiver_name: 'Hope for Children Foundation Inc.', purpose: 'child sponsorship' })),
    );
    assert.deepEqual(alerts(rows), []);
  });

  test('a sextortion victim and the receiver are flagged', () => {
    const rows = [0, 1, 2].map((h, i) => ({
      txn_id: `Y${++seq}`,
      timestamp: new Date(Date.UTC(2026, 0, 10) + h * 3_600_000).toISOString(),
      amount: String([60, 120, 150][i]),
      currency: 'USD',
      channel: 'giftcard',
      provider: 'Gift card exchange',
      sender_id: 'V',
      sender_name: 'Ben Cruz',
      sender_country: 'US',
      receiver_id: 'N',
      receiver_name: 'Femi Uzor',
      receiver_country: 'NG',
    }));
    const a = alerts(rows);
    assert.deepEqual(a.map((x) => x.role).sort(), ['receiver', 'sender']);
  });
});
