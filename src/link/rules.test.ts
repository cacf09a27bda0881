import { test } from 'node:test';
import assert from 'node:assert/strict';
import { activePairs, DEFAULT_LINK_PARAMS, evidenceForKey, exclusionMatcher, type KeyRow } from './rules.ts';
import { components, shortestPath } from './subjects.ts';

const none = exclusionMatcher([]);
const row = (reportId: string, key: string, value: string, strength = 'strong', at: string | null = null): KeyRow => ({
  reportId,
  kind: key.slice(0, key.indexOf(':')),
  key,
  value,
  strength,
  at,
});

test('ip+port links only sightings seconds apart', () => {
  const key = 'ip-port:112.198.3.4|52311';
  const rows = [
    row('1', key, '112.198.3.4|52311|2026-01-03T10:22:31.000Z', 'strong', '2026-01-03T10:22:31.000Z'),
    row('2', key, '112.198.3.4|52311|2026-01-03T10:22:35.000Z', 'strong', '2026-01-03T10:22:35.000Z'),
    row('3', key, '112.198.3.4|52311|2026-01-03T11:00:00.000Z', 'strong', '2026-01-03T11:00:00.000Z'),
  ];
  assert.deepEqual(
    evidenceForKey(key, rows, DEFAULT_LINK_PARAMS, none).evidence.map((e) => [e.a, e.b]),
    [['1', '2']],
  );
});

test('hub cap, frequency downgrade, exclusions and cited reports', () => {
  const key = 'phone:+639171234567';
  const many = (n: number): KeyRow[] => Array.from({ length: n }, (_, i) => row(String(100 + i), key, '+639171234567'));
  assert.equal(evidenceForKey(key, many(21), DEFAULT_LINK_PARAMS, none).hub?.reportCount, 21);
  assert.equal(evidenceForKey(key, many(20), DEFAULT_LINK_PARAMS, none).hub, undefined);
  assert.ok(evidenceForKey(key, many(12), DEFAULT_LINK_PARAMS, none).evidence.every((e) => e.strength === 'medium'));
  assert.ok(evidenceForKey(key, many(3), DEFAULT_LINK_PARAMS, none).evidence.every((e) => e.strength === 'strong'));
  assert.equal(evidenceForKey(key, many(3), DEFAULT_LINK_PARAMS, exclusionMatcher([{ pattern: '+63917%', comment: 'shop' }])).excludedBy, '+63917%');
  const ipx = exclusionMatcher([{ pattern: '112.198.3.4', comment: 'x' }]);
  assert.equal(ipx('112.198.3.4|52311|2026-01-03T10:22:31.000Z', 'ip-port:112.198.3.4|52311'), '112.198.3.4');
  // A citation links the citing report to the cited one when it is stored.
  const cite = [row('900', 'report:800', '800')];
  assert.deepEqual(
    evidenceForKey('report:800', cite, DEFAULT_LINK_PARAMS, none, { citedExists: true }).evidence.map((e) => [e.a, e.b]),
    [['800', '900']],
  );
  assert.deepEqual(evidenceForKey('report:800', cite, DEFAULT_LINK_PARAMS, none, { citedExists: false }).evidence, []);
});

test('one strong or two medium identifiers make a link; components honour decisions', () => {
  const pairs = activePairs([
    { a: '1', b: '2', strength: 'strong' },
    { a: '2', b: '3', strength: 'medium' },
    { a: '3', b: '4', strength: 'medium' },
    { a: '3', b: '4', strength: 'medium' },
  ]);
  assert.deepEqual(pairs, [
    ['1', '2'],
    ['3', '4'],
  ]);
  assert.deepEqual(
    [...components(pairs)],
    [
      ['1', 'S-1'],
      ['2', 'S-1'],
      ['3', 'S-3'],
      ['4', 'S-3'],
    ],
  );
  assert.deepEqual(
    [
      ...components(pairs, [
        { action: 'split', a: '2' },
        { action: 'merge', a: '1', b: '4' },
      ]),
    ].sort(),
    [
      ['1', 'S-1'],
      ['3', 'S-1'],
      ['4', 'S-1'],
    ],
  );
  assert.deepEqual(
    [...components(pairs, [{ action: 'cut', a: '2', b: '1' }])],
    [
      ['3', 'S-3'],
      ['4', 'S-3'],
    ],
  );
  assert.deepEqual(
    shortestPath(
      [
        ['1', '2'],
        ['2', '3'],
        ['3', '4'],
      ],
      '4',
      '1',
    ),
    ['4', '3', '2', '1'],
  );
});

test('a pair is strong only when both reports hold the value strongly', () => {
  const key = 'phone:+61281234567';
  const ev = evidenceForKey(
    key,
    [row('1', key, '+61281234567'), row('2', key, '+61281234567'), row('3', key, '+61281234567', 'medium')],
    DEFAULT_LINK_PARAMS,
    none,
  ).evidence;
  assert.deepEqual(
    ev.map((e) => [e.a, e.b, e.strength]),
    [
      ['1', '2', 'strong'],
      ['1', '3', 'medium'],
      ['2', '3', 'medium'],
    ],
  );
});

test("hub guard: a shared contact (a shop, school or family mailbox or line) links nothing; one person's e-mail across services still links", () => {
  const mailbox = 'email:pisonet.shop@example.net';
  const holders = ['201', '202', '203', '204'];
  const rows = holders.map((id) => row(id, mailbox, 'pisonet.shop@example.net'));
  const withOthers = (accounts: string[], extra: (i: number) => string[] = () => []) =>
    new Map(holders.map((h, i) => [h, new Set([mailbox, accounts[i]!, `email:own${i}@example.net`, ...extra(i)])]));
  // Four people at a café: three Instagram accounts and a TikTok one, nothing else in common.
  const cafe = withOthers(['esp-user-id:instagram:111', 'esp-user-id:instagram:222', 'esp-user-id:instagram:333', 'esp-user-id:tiktok:444']);
  const hub = evidenceForKey(mailbox, rows, DEFAULT_LINK_PARAMS, none, { others: cafe }).hub;
  assert.match(
    hub?.reason ?? '',
    /shared contact: on 4 reports of which 4 share no other identifier with another of them, written by 3 different instagram accounts/,
  );
  // One person reported by four services: one account on each, the e-mail the only thing in common.
  const person = withOthers(['esp-user-id:instagram:111', 'esp-user-id:tiktok:222', 'esp-user-id:facebook:333', 'esp-user-id:snapchat:444']);
  const linked = evidenceForKey(mailbox, rows, DEFAULT_LINK_PARAMS, none, { others: person });
  assert.equal(linked.hub, undefined);
  assert.equal(linked.evidence.length, 6);
  assert.ok(linked.evidence.every((e) => e.strength === 'strong'));
  // Different Instagram accounts that share a device pair by pair: one person's accounts, vouched.
  const vouched = withOthers(['esp-user-id:instagram:111', 'esp-user-id:instagram:222', 'esp-user-id:instagram:333', 'esp-user-id:instagram:444'], (i) => [
    `device-id:d${i >> 1}`,
  ]);
  assert.equal(evidenceForKey(mailbox, rows, DEFAULT_LINK_PARAMS, none, { others: vouched }).hub, undefined);
  // One person's report naming a second Instagram account beside the first contradicts nothing.
  const secondAccount = new Map(person);
  secondAccount.set('201', new Set([...person.get('201')!, 'esp-user-id:instagram:999']));
  assert.equal(evidenceForKey(mailbox, rows, DEFAULT_LINK_PARAMS, none, { others: secondAccount }).hub, undefined);
  // A pair is read as one person or household (domain.md §7.1), whatever accounts it names.
  assert.equal(evidenceForKey(mailbox, rows.slice(0, 2), DEFAULT_LINK_PARAMS, none, { others: cafe }).evidence.length, 1);
  // A phone is a contact point too; a wallet is not (paying one facilitator's wallet is what links the customers).
  const line = 'phone:+639171234567';
  const phoneRows = holders.map((id) => row(id, line, '+639171234567'));
  const phoneCafe = new Map([...cafe].map(([h, ks]) => [h, new Set([...ks].map((k) => (k === mailbox ? line : k)))]));
  assert.match(evidenceForKey(line, phoneRows, DEFAULT_LINK_PARAMS, none, { others: phoneCafe }).hub?.reason ?? '', /shared contact/);
  const wallet = 'wallet:TQ3xzVQ3A9GjyXHby48KVs856q6MXfSZTv';
  const walletRows = holders.map((id) => row(id, wallet, 'TQ3xzVQ3A9GjyXHby48KVs856q6MXfSZTv'));
  const payers = new Map([...cafe].map(([h, ks]) => [h, new Set([...ks].map((k) => (k === mailbox ? wallet : k)))]));
  assert.equal(evidenceForKey(wallet, walletRows, DEFAULT_LINK_PARAMS, none, { others: payers }).evidence.length, 6);
  // An e-wallet is keyed to its mobile (the phone's key): a facilitator's number, written as her
  // phone on her own reports (two Kumu accounts of hers) and quoted by a Kumu customer as where he
  // paid, links all three.
  const facilitator = new Map([
    ['301', new Set([line, 'esp-user-id:kumu:angel1'])],
    ['302', new Set([line, 'esp-user-id:kumu:angel2'])],
    ['303', new Set([line, 'esp-user-id:kumu:payer9'])],
  ]);
  const paid = [row('301', line, '+639171234567'), row('302', line, '+639171234567'), { ...row('303', line, '+639171234567'), kind: 'wallet' }];
  const fan = evidenceForKey(line, paid, DEFAULT_LINK_PARAMS, none, { others: facilitator });
  assert.equal(fan.hub, undefined);
  assert.equal(fan.evidence.length, 3);
  // The same three holders with the number only as a phone are a shared line.
  assert.match(
    evidenceForKey(line, paid.slice(0, 2).concat(row('303', line, '+639171234567')), DEFAULT_LINK_PARAMS, none, { others: facilitator }).hub?.reason ?? '',
    /shared contact/,
  );
});

test('hub guard: the cap, the same value across namespaces, holders that vouch for nothing', () => {
  const key = 'esp-user-id:tiktok:usr20931x';
  const holders = Array.from({ length: 12 }, (_, i) => String(100 + i));
  const rows = holders.map((id) => row(id, key, 'tiktok:usr20931x'));
  assert.match(
    evidenceForKey(key, rows.slice(0, 4), DEFAULT_LINK_PARAMS, none, { population: { reports: 25, namespaces: 3 } }).hub!.reason,
    /25 reports across 3 account namespaces/,
  );
  // Twelve holders, none sharing anything else: a hub. The same value in another namespace is no voucher.
  const alone = new Map(holders.map((h) => [h, new Set([key, 'esp-user-id:kumu:usr20931x'])]));
  assert.match(evidenceForKey(key, rows, DEFAULT_LINK_PARAMS, none, { others: alone }).hub!.reason, /12 reports of which 12 share no other identifier/);
  // Pair by pair they share a device: vouched, linked.
  const paired = new Map(holders.map((h, i) => [h, new Set([key, `device-id:dev${i >> 1}`])]));
  const out = evidenceForKey(key, rows, DEFAULT_LINK_PARAMS, none, { others: paired });
  assert.equal(out.hub, undefined);
  assert.equal(out.evidence.length, 66);
  // Below vouchMin nothing is asked of the holders.
  assert.equal(evidenceForKey(key, rows.slice(0, 10), DEFAULT_LINK_PARAMS, none, { others: alone }).hub, undefined);
});

test("a facilitator's e-wallet paid by many customers who share nothing else stays a strong link; a shop's line does not become one by a single payment", () => {
  const line = 'phone:+639171234567';
  const facilitator = ['401', '402', '403'];
  const customers = Array.from({ length: 12 }, (_, i) => String(500 + i));
  // Her own reports: the number as her phone, tied by her account; each customer quotes it as where he paid.
  const rows = [...facilitator.map((id) => row(id, line, '+639171234567')), ...customers.map((id) => ({ ...row(id, line, '+639171234567'), kind: 'wallet' }))];
  const others = new Map<string, Set<string>>([
    ...facilitator.map((id): [string, Set<string>] => [id, new Set([line, 'esp-user-id:facebook:10001'])]),
    ...customers.map((id): [string, Set<string>] => [id, new Set([line, `esp-user-id:facebook:2${id}`])]),
  ]);
  const paid = evidenceForKey(line, rows, DEFAULT_LINK_PARAMS, none, { others });
  assert.equal(paid.hub, undefined);
  assert.equal(paid.evidence.length, (15 * 14) / 2);
  // Fifteen holders is past rareMax, yet every pair with a payer on one side is strong (§7.1: an
  // e-wallet links on one); her own reports' three pairs hold a common phone, medium.
  const ownPair = (e: { a: string; b: string }) => facilitator.includes(e.a) && facilitator.includes(e.b);
  assert.ok(paid.evidence.every((e) => e.strength === (ownPair(e) ? 'medium' : 'strong')));
  assert.equal(paid.evidence.filter(ownPair).length, 3);
  // The same fifteen with the number only as a phone: twelve share nothing else, a hub.
  const asPhone = rows.map((r) => ({ ...r, kind: 'phone' }));
  assert.match(evidenceForKey(line, asPhone, DEFAULT_LINK_PARAMS, none, { others }).hub?.reason ?? '', /15 reports of which 12 share no other identifier/);
  // A shop's line on fourteen unrelated reports, quoted once in a chat as where to pay: still a hub.
  const shop = [...customers, '601', '602'].map((id) => row(id, line, '+639171234567'));
  shop[0] = { ...shop[0]!, kind: 'wallet' };
  const shopOthers = new Map(shop.map((r): [string, Set<string>] => [r.reportId, new Set([line, `esp-user-id:facebook:3${r.reportId}`])]));
  assert.match(
    evidenceForKey(line, shop, DEFAULT_LINK_PARAMS, none, { others: shopOthers }).hub?.reason ?? '',
    /14 reports of which 13 share no other identifier/,
  );
  // Past the cap a paid value is a hub like any other (MISP's over-correlation limit).
  const many = Array.from({ length: 21 }, (_, i) => ({ ...row(String(700 + i), line, '+639171234567'), kind: 'wallet' }));
  assert.match(evidenceForKey(line, many, DEFAULT_LINK_PARAMS, none, {}).hub?.reason ?? '', /over the cap of 20/);
  // Between phones alone, a common number still gives medium pairs: 11 holders, all vouched by a device pair by pair.
  const eleven = Array.from({ length: 11 }, (_, i) => row(String(800 + i), line, '+639171234567'));
  const devices = new Map(eleven.map((r, i): [string, Set<string>] => [r.reportId, new Set([line, `device-id:d${i >> 1}`])]));
  assert.ok(evidenceForKey(line, eleven, DEFAULT_LINK_PARAMS, none, { others: devices }).evidence.every((e) => e.strength === 'medium'));
});
