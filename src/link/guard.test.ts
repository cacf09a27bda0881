// Linking that holds on data it was not tuned on (issue 17): account namespaces, placeholders in
// every kind, the hub guard across namespaces and for holders that share nothing else, the
// reporting company's own contact details, foreign phones read with the report's country. Both
// database backends; hand-made reports.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CybertipReport, Party } from '../model/report.ts';
import type { Store } from '../store/database.ts';
import { listHubs } from '../store/link.ts';
import { testBackends } from '../../test/support/stores.ts';
import { makeReport, person, putReports } from '../../test/fixtures/link/reports.ts';
import { listSubjects } from './query.ts';
import { runLink } from './run.ts';

async function subjects(store: Store): Promise<string[][]> {
  return (await listSubjects(store)).map((s) => s.reportIds).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

const on = (platform: string, party: Partial<Party>, extra: Partial<CybertipReport> = {}): Partial<CybertipReport> & { party: Partial<Party> } => ({
  party,
  ...extra,
  incident: { incidentType: 'Child Sex Trafficking', platform, reportAnnotations: [], incidentDateTime: '2026-01-04T00:00:00Z' },
});
const report = (id: string, x: ReturnType<typeof on>): CybertipReport => {
  const { party, ...extra } = x;
  return makeReport(id, party, extra);
};

for (const backend of testBackends()) {
  describe(`principled linking on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test('one account seen through two products links; a profile URL is the id or handle it carries', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [
          report('100', on('Instagram Live', { espIdentifier: '48213377' })),
          report('101', on('Facebook', { espService: 'instagram, Inc.', espIdentifier: '48213377' })),
          report('102', on('IG Direct', { espIdentifier: '48213377' })),
          // The same number on Facebook is another account: no link.
          report('103', on('Facebook Lite', { espIdentifier: '48213377' })),
          // A Facebook id written in the id field, in a profile URL, through Messenger.
          report('110', on('Facebook', { espIdentifier: '100012345678901' })),
          report('111', on('TikTok', { espService: 'Messenger', profileUrls: ['https://m.facebook.com/profile.php?id=100012345678901&ref=bookmarks'] })),
          // The company's name written beside its product; another company's name beside it is no product.
          report('112', on('Meta - Facebook', { espIdentifier: '100012345678901' })),
          report('113', on('Google - Facebook', { espIdentifier: '100012345678901' })),
          // A handle in a profile URL and in the screen-name field, with another shared handle: two medium keys.
          report('120', on('Instagram', { screenName: '@Jun_DC88', groupIdentifier: 'grp-77' })),
          report('121', on('Instagram Lite', { profileUrls: ['https://www.instagram.com/jun_dc88/'], groupIdentifier: 'GRP-77' })),
        ]);
        await runLink(store);
        assert.deepEqual(await subjects(store), [
          ['100', '101', '102'],
          ['110', '111', '112'],
          ['120', '121'],
        ]);
      } finally {
        await store.close();
      }
    });

    test('user id "0" and other placeholders under several products link nobody', async () => {
      const store = await backend.open();
      try {
        const products = ['Facebook', 'Instagram', 'TikTok', 'Snapchat', 'X', 'Kumu', 'Bigo Live', 'Chatterbox'];
        const reports: CybertipReport[] = [];
        let n = 200;
        for (const p of products) {
          for (const v of ['0', '-1', '000000', 'N/A', 'wala', 'hindi alam', '12345678']) {
            reports.push(report(String(n++), on(p, { espIdentifier: v, screenName: v })), report(String(n++), on(p, { espIdentifier: v, screenName: v })));
          }
          for (const [phone, email] of [
            ['0000000000', 'none@gmail.com'],
            ['+63 000 000 0000', 'test@test.com'],
            ['09000000000', 'wala@yahoo.com'],
          ]) {
            reports.push(
              report(String(n++), on(p, { person: person([phone!], [email!]) })),
              report(String(n++), on(p, { person: person([phone!], [email!]) })),
            );
          }
          reports.push(
            ...[0, 1].map(() =>
              report(
                String(n++),
                on(p, {
                  deviceIds: [
                    { idType: 'IDFA', idValue: '00000000-0000-0000-0000-000000000000' },
                    { idType: 'IMEI', idValue: '353456789012345' },
                  ],
                  ipCaptureEvents: [{ ipAddress: '123.123.123.123', port: 443, dateTime: '2026-01-03T10:00:00Z' }],
                }),
              ),
            ),
          );
        }
        await putReports(store, reports);
        await runLink(store);
        assert.deepEqual(await subjects(store), []);
      } finally {
        await store.close();
      }
    });

    test("a shared mailbox links nobody once a third account writes it; one person's mailbox across services links", async () => {
      const store = await backend.open();
      try {
        const cafe = (id: string, account: string): CybertipReport =>
          report(id, on('Instagram', { espIdentifier: account, person: person([], [`own${id}@outlook.com`, 'pisonet.tondo@gmail.com']) }));
        // Two accounts on one mailbox: one person or a household (domain.md §7.1), linked.
        await putReports(store, [cafe('400', '5550001'), cafe('401', '5550002')]);
        // One person's mailbox, reported by three services.
        await putReports(
          store,
          ['Facebook', 'TikTok', 'Snapchat'].map((p, i) =>
            report(String(410 + i), on(p, { espIdentifier: `77700${i}`, person: person([], ['m.reyes1987@yahoo.com']) })),
          ),
        );
        await runLink(store);
        assert.deepEqual(await subjects(store), [
          ['400', '401'],
          ['410', '411', '412'],
        ]);
        // A third account writes the café's mailbox, sharing nothing else: a shared contact, no link.
        await putReports(store, [cafe('402', '5550003')]);
        await runLink(store);
        assert.deepEqual(await subjects(store), [['410', '411', '412']]);
        const hub = (await listHubs(store.db)).find((h) => h.value.includes('pisonet'));
        assert.match(
          hub?.reason ?? '',
          /shared contact: on 3 reports of which 3 share no other identifier with another of them, written by 3 different instagram accounts/,
        );
        // The first two turn out to share a device: they vouch for each other, and the mailbox links again.
        const device = [{ idType: 'IMEI', idValue: '352099812345672' }];
        const resent = { envelope: { ipLookups: [], receivedAt: '2026-01-06T00:00:00Z' } };
        await putReports(store, [
          report(
            '400',
            on('Instagram', { espIdentifier: '5550001', deviceIds: device, person: person([], ['own400@outlook.com', 'pisonet.tondo@gmail.com']) }, resent),
          ),
          report(
            '401',
            on('Instagram', { espIdentifier: '5550002', deviceIds: device, person: person([], ['own401@outlook.com', 'pisonet.tondo@gmail.com']) }, resent),
          ),
        ]);
        await runLink(store);
        const vouched = [
          ['400', '401', '402'],
          ['410', '411', '412'],
        ];
        assert.deepEqual(await subjects(store), vouched, 'incrementally: the mailbox is decided again when its holders change');
        await runLink(store, { rebuild: true });
        assert.deepEqual(await subjects(store), vouched, 'a rebuild gives the same');
      } finally {
        await store.close();
      }
    });

    test('the same id across many account namespaces is a hub, incrementally and on a rebuild', async () => {
      const store = await backend.open();
      try {
        const products = ['Facebook', 'Instagram', 'TikTok', 'Snapchat', 'X'];
        const wave = (from: number, per: number): CybertipReport[] =>
          products.flatMap((p, i) => Array.from({ length: per }, (_, j) => report(String(from + i * 10 + j), on(p, { espIdentifier: '48213377' }))));
        // Two reports per product: five pairs, each one account in its own namespace.
        await putReports(store, wave(300, 2));
        await runLink(store);
        assert.equal((await subjects(store)).length, 5);
        assert.deepEqual(await listHubs(store.db), []);
        // Three more per product: 25 reports hold the bare value, over the cap of 20 in all.
        await putReports(store, wave(302, 3));
        await runLink(store);
        assert.deepEqual(await subjects(store), []);
        const hubs = await listHubs(store.db);
        assert.equal(hubs.length, 5);
        assert.ok(
          hubs.every((h) => h.kind === 'esp-user-id' && h.reportCount === 5 && /25 reports across 5 account namespaces/.test(h.reason)),
          JSON.stringify(hubs),
        );
        await runLink(store, { rebuild: true });
        assert.deepEqual(await subjects(store), []);
        assert.equal((await listHubs(store.db)).length, 5);
      } finally {
        await store.close();
      }
    });

    test('across namespaces too: a value on reports that share nothing else is a hub, however few it has in each', async () => {
      const store = await backend.open();
      try {
        const products = ['Facebook', 'Instagram', 'TikTok', 'Snapchat', 'X', 'Kumu'];
        // Two reports per product (each key under every cap), twelve in all, sharing nothing else.
        await putReports(
          store,
          products.flatMap((p, i) => [0, 1].map((j) => report(String(800 + i * 2 + j), on(p, { espIdentifier: 'usr20931x' })))),
        );
        // The same shape, but each pair also shares a device: the holders vouch for each other.
        await putReports(
          store,
          products.flatMap((p, i) =>
            [0, 1].map((j) =>
              report(
                String(900 + i * 2 + j),
                on(p, {
                  espIdentifier: 'usr77120y',
                  deviceIds: [{ idType: 'AAID', idValue: `5d1e7a90-2b4c-4f8e-a3d6-${String(910000000000 + i * 7919)}` }],
                }),
              ),
            ),
          ),
        );
        await runLink(store);
        assert.deepEqual(
          await subjects(store),
          products.map((_, i) => [String(900 + i * 2), String(901 + i * 2)]),
        );
        const hubs = await listHubs(store.db);
        assert.equal(hubs.length, 6);
        assert.ok(
          hubs.every((h) => h.value.endsWith(':usr20931x') && /12 reports across 6 account namespaces, of which 12 share no other identifier/.test(h.reason)),
          JSON.stringify(hubs),
        );
        await runLink(store, { rebuild: true });
        assert.equal((await listHubs(store.db)).length, 6);
        assert.equal((await subjects(store)).length, 6);
      } finally {
        await store.close();
      }
    });

    test('a value on many reports that share nothing else is a hub; holders that vouch for each other link', async () => {
      const store = await backend.open();
      try {
        // Twelve unrelated people given one mailbox (a shop's, a scam's, a stand-in nobody listed),
        // and twelve given one account id (a shared test account's).
        await putReports(
          store,
          Array.from({ length: 12 }, (_, i) =>
            report(String(400 + i), on('Facebook', { person: person([], ['kuya.ben.store@yahoo.com']), espIdentifier: `1000${i}8523146` })),
          ),
        );
        await putReports(
          store,
          Array.from({ length: 12 }, (_, i) => report(String(420 + i), on('Facebook', { espIdentifier: '100077700011122', screenName: `tindera_${i}x` }))),
        );
        // Twelve reports of one account: its id and, pair by pair, a device too.
        const device = (i: number): string => `7f3c9a2e-41d8-4b6a-9c1e-${String(840000000000 + (i >> 1) * 7919)}`;
        await putReports(
          store,
          Array.from({ length: 12 }, (_, i) =>
            report(
              String(500 + i),
              on('Facebook', {
                espIdentifier: '100012345678901',
                deviceIds: [{ idType: 'AAID', idValue: device(i) }],
              }),
            ),
          ),
        );
        await runLink(store);
        assert.deepEqual(await subjects(store), [Array.from({ length: 12 }, (_, i) => String(500 + i))]);
        const hubs = await listHubs(store.db);
        assert.deepEqual(hubs.map((h) => h.value).sort(), ['facebook:100077700011122', 'kuya.ben.store@yahoo.com']);
        for (const h of hubs) assert.match(h.reason, /12 reports of which 12 share no other identifier/);
      } finally {
        await store.close();
      }
    });

    test("the reporting company's own contact address and domain never link", async () => {
      const store = await backend.open();
      try {
        const reporter = {
          reporter: { reportingPerson: { phones: [{ number: '+1 650 555 7788' }], emails: [{ address: 'cybertipline.contact@gmail.com' }], addresses: [] } },
        };
        await putReports(store, [
          report('600', on('Chatterbox', { person: person([], ['cybertipline.contact@gmail.com']) }, reporter)),
          report('601', on('Chatterbox', { person: person([], ['cybertipline.contact@gmail.com']) }, reporter)),
          report('602', on('TikTok', { person: person([], ['le-response@tiktok.com']) })),
          report('603', on('TikTok', { person: person([], ['le-response@tiktok.com']) })),
        ]);
        await runLink(store);
        assert.deepEqual(await subjects(store), []);
      } finally {
        await store.close();
      }
    });

    test('foreign national numbers link when the report names the country; a weak hint alone does not', async () => {
      const store = await backend.open();
      try {
        const ar = { envelope: { ipLookups: [], receivedAt: '2026-01-05T00:00:00Z', country: 'AR' } };
        const ipAr = { envelope: { ipLookups: [{ ipAddress: '190.2.3.4', country: 'AR' }], receivedAt: '2026-01-05T00:00:00Z' } };
        await putReports(store, [
          report('700', on('Facebook', { person: person(['011 15 2345-6789']) }, ar)),
          report('701', on('Facebook', { person: person(['+54 9 11 2345-6789']) })),
          report('702', on('Facebook', { person: person(['(011) 15-2345-6789']), estimatedLocation: { countryCode: 'AR' } })),
          // Only NCMEC's IP look-up says Argentina: read, but weak (it needs a second medium key).
          report('710', on('Facebook', { person: person(['0351 15 234-5678']) }, ipAr)),
          report('711', on('Facebook', { person: person(['0351 15 234-5678']) }, ipAr)),
          // No hint at all: not read.
          report('720', on('Facebook', { person: person(['07911 123456']) })),
          report('721', on('Facebook', { person: person(['07911 123456']) })),
        ]);
        await runLink(store);
        assert.deepEqual(await subjects(store), [['700', '701', '702']]);
      } finally {
        await store.close();
      }
    });
  });
}
