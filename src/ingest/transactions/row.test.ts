import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { extractIdentifiers } from '../../link/identifiers.ts';
import { makeReport } from '../../../test/fixtures/link/reports.ts';
import { familyNameCandidates, isRoundAmount, partyKeys, shareFamilyName } from './parties.ts';
import { defaultRateTable, parseRatesCsv } from './rates.ts';
import { parseTimestamp, toTxnRow } from './row.ts';

const rates = defaultRateTable().rates;
const base = {
  txn_id: 'T1',
  timestamp: '2026-03-01T23:41:00+10:00',
  amount: '50.00',
  currency: 'AUD',
  provider: 'Remitly',
  sender_id: 'S1',
  receiver_id: 'R1',
};
const where = { file: 'f.csv', line: 2 };

describe('transaction rows', () => {
  test('a good row: UTC time with its offset, PHP amount, keys and nodes', () => {
    const r = toTxnRow(
      { ...base, receiver_phone: '0917 123 4567', receiver_account: '+63 917-123-4567', sender_email: 'John.Doe+x@Gmail.com', mystery: 'kept' },
      rates,
      where,
    );
    assert.ok('row' in r);
    assert.equal(r.row.ts, '2026-03-01T13:41:00.000Z');
    assert.equal(r.row.tsOffset, 600);
    assert.equal(r.row.amountPhp, 50 * 37);
    assert.equal(r.row.round, true);
    assert.deepEqual(r.row.receiverKeys, ['phone:+639171234567']);
    assert.deepEqual(r.row.senderKeys, ['email:johndoe@gmail.com']);
    assert.equal(r.row.senderNode, 'customer:remitly|S1');
    assert.deepEqual(r.row.extra, { mystery: 'kept' });
  });

  test('bad rows say why', () => {
    const reason = (f: Record<string, string>): string => {
      const r = toTxnRow(f, rates, where);
      return 'reason' in r ? r.reason : 'accepted';
    };
    assert.equal(reason({ ...base, txn_id: '' }), 'no txn_id');
    assert.match(reason({ ...base, timestamp: '2026-03-01 23:41' }), /not an ISO 8601 time with a UTC offset/);
    assert.match(reason({ ...base, timestamp: '2026-02-30T10:00:00Z' }), /not an ISO 8601/);
    assert.match(reason({ ...base, amount: 'fifty' }), /amount "fifty" is not a number/);
    assert.match(reason({ ...base, amount: '0' }), /not positive/);
    assert.match(reason({ ...base, currency: 'XYZ' }), /unknown currency "XYZ"/);
    assert.match(reason({ txn_id: 'T', timestamp: base.timestamp, amount: '5', currency: 'USD' }), /no sender/);
    assert.equal(reason({ ...base, amount: '1,234.50' }), 'accepted');
  });

  test('timestamps: Z, offsets, fractions', () => {
    assert.deepEqual(parseTimestamp('2026-01-01T00:00:00Z'), { iso: '2026-01-01T00:00:00.000Z', offset: 0 });
    assert.equal(parseTimestamp('2026-01-01T08:00:00+0800')?.iso, '2026-01-01T00:00:00.000Z');
    assert.equal(parseTimestamp('2026-01-01T00:00:00.5-05:00')?.iso, '2026-01-01T05:00:00.500Z');
    assert.equal(parseTimestamp('2026-01-01T00:00:00'), undefined);
  });

  test('a phone in a payment and the same phone in a report make one key', () => {
    const report = makeReport('1', { person: { phones: [{ number: '9171234567', countryCallingCode: '+63' }], emails: [], addresses: [] } } as never);
    const keys = new Set(
      extractIdentifiers(report)
        .filter((i) => i.strength === 'strong')
        .map((i) => i.key),
    );
    for (const written of ['0917-123-4567', '+63 917 123 4567', '639171234567', '(0917) 123 4567']) {
      assert.ok(
        partyKeys({ provider: 'GCash', phone: written }).every((k) => keys.has(k)),
        written,
      );
      assert.ok(
        partyKeys({ provider: 'GCash', account: written }).every((k) => keys.has(k)),
        written,
      );
    }
    // A UK national number is read in the sender's country; a crypto address is a wallet key.
    assert.deepEqual(partyKeys({ provider: 'WU', phone: '07663 924710', country: 'GB' }), ['phone:+447663924710']);
    assert.deepEqual(partyKeys({ provider: 'Coins', account: 'TGURRoP5XJ7kmrDvAPUFKVM9nCJS5uYAQq' }), ['wallet:TGURRoP5XJ7kmrDvAPUFKVM9nCJS5uYAQq']);
    assert.deepEqual(partyKeys({ provider: 'BDO', account: 'ACCT-77' }), ['account:bdo:acct-77']);
    assert.deepEqual(partyKeys({ provider: 'GCash', phone: 'N/A', email: 'noreply@bank.ph' }), []);
  });

  test('family names in any order and case; a shared first name is no tie', () => {
    assert.deepEqual(familyNameCandidates('Santos, Maria'), ['santos']);
    assert.deepEqual(familyNameCandidates('SANTOS MARIA'), ['santos', 'maria']);
    assert.ok(shareFamilyName('GALANG DANILO', 'Leah Galang'));
    assert.ok(shareFamilyName('Quiambao, Benjie', 'princess quiambao'));
    assert.ok(!shareFamilyName('chloe quiambao', 'Chloe Rivera'));
    assert.ok(!shareFamilyName('John Lewis', 'Ronald Flores'));
  });

  test('round amounts', () => {
    for (const t of ['20', '25.00', '140', '2,000', '15000']) assert.ok(isRoundAmount(t), t);
    for (const t of ['47', '19.99', '1984', '7440', '25.50']) assert.ok(!isRoundAmount(t), t);
  });

  test('a rate CSV replaces the table; bad ones are refused', () => {
    const t = parseRatesCsv('# agency rates\ncurrency,php,as_of\nUSD,58,2026-03-01\nEUR,63,2026-03-01\n', 'r.csv');
    assert.equal(t.rates.get('USD'), 58);
    assert.equal(t.rates.get('PHP'), 1);
    assert.equal(t.asOf, '2026-03-01');
    assert.throws(() => parseRatesCsv('currency,php\nEUR,63\n', 'r.csv'), /USD is needed/);
    assert.throws(() => parseRatesCsv('currency,php\nUSD,-1\n', 'r.csv'), /positive number/);
  });
});
