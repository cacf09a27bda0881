import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CybertipReport, Party } from '../model/report.ts';
import type { Store } from '../store/database.ts';
import { listHubs } from '../store/link.ts';
import { formatPh } from '../synth/phones.ts';
import { PHONE_FORMATS } from '../synth/params.ts';
import { testBackends } from '../../test/support/stores.ts';
import { makeReport, person, putReports } from '../../test/fixtures/link/reports.ts';
import { listSubjects } from './query.ts';
import { excludeValue, manualDecision, runLink } from './run.ts';
import { whyLinked } from './why.ts';

async function subjects(store: Store): Promise<string[][]> {
  return (await listSubjects(store)).map((s) => s.reportIds).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

for (const backend of testBackends()) {
  describe(`linking on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test('no trap links anything', async () => {
      const store = await backend.open();
      try {
        const reports: CybertipReport[] = [];
        let n = 100;
        const pair = (party: Partial<Party>, extra: Partial<CybertipReport> = {}): void => {
          reports.push(makeReport(String(n++), party, extra), makeReport(String(n++), party, extra));
        };
        for (const v of ['N/A', 'unknown', 'none', 'test@test.com', '0000000000', '09000000000'])
          pair({ person: person([v], [v]), screenName: v, espIdentifier: v });
        for (const e of ['noreply@gmail.com', 'no-reply@accounts.google.com', 'admin@yahoo.com', 'noreply@facebookmail.com']) pair({ person: person([], [e]) });
        // CGNAT-internal and public-DNS addresses, even with the same port and time; a public address without port.
        for (const ip of ['100.64.3.4', '8.8.8.8', '1.1.1.1']) pair({ ipCaptureEvents: [{ ipAddress: ip, port: 443, dateTime: '2026-01-03T10:00:00Z' }] });
        pair({ ipCaptureEvents: [{ ipAddress: '112.198.3.4', dateTime: '2026-01-03T10:00:00Z' }] });
        // The same shared CGNAT public address and port, hours apart.
        reports.push(makeReport(String(n++), { ipCaptureEvents: [{ ipAddress: '112.198.9.9', port: 40000, dateTime: '2026-01-03T10:00:00Z' }] }));
        reports.push(makeReport(String(n++), { ipCaptureEvents: [{ ipAddress: '112.198.9.9', port: 40000, dateTime: '2026-01-03T13:00:00Z' }] }));
        const empty = {
          fileId: 'f',
          fileAnnotations: [],
          originalFileHashes: [{ hashType: 'MD5', value: 'd41d8cd98f00b204e9800998ecf8427e' }],
          deviceIds: [],
          details: [],
          additionalInfo: [],
        };
        pair({}, { files: [empty] });
        // One medium identifier alone (a shared handle) is not enough.
        pair({ screenName: 'kuya_juan' });
        await putReports(store, reports);
        await runLink(store);
        assert.deepEqual(await subjects(store), []);
      } finally {
        await store.close();
      }
    });

    test('every written form of a phone or e-mail links; ip+port+time within seconds links', async () => {
      const store = await backend.open();
      try {
        const phones = PHONE_FORMATS.map((f, i) => makeReport(String(200 + i), { person: person([formatPh('+639171234567', f)]) }));
        const emails = ['Juan.Cruz@gmail.com', 'juancruz@gmail.com', 'JUANCRUZ+x@GMAIL.COM'].map((e, i) =>
          makeReport(String(300 + i), { person: person([], [e]) }),
        );
        const ipt = [
          makeReport('400', { ipCaptureEvents: [{ ipAddress: '112.198.3.4', port: 52311, dateTime: '2026-01-03T18:22:31+08:00' }] }),
          makeReport('401', { ipCaptureEvents: [{ ipAddress: '112.198.3.4', port: 52311, dateTime: '2026-01-03T10:22:34Z' }] }),
        ];
        const medium = [
          makeReport('500', { screenName: 'lola_m', groupIdentifier: 'grp-9' }),
          makeReport('501', { screenName: '@Lola_M', groupIdentifier: 'GRP-9' }),
        ];
        await putReports(store, [...phones, ...emails, ...ipt, ...medium]);
        await runLink(store);
        assert.deepEqual(await subjects(store), [phones.map((r) => r.reportId), emails.map((r) => r.reportId), ['400', '401'], ['500', '501']]);
        const s = (await listSubjects(store))[0]!;
        assert.deepEqual(Object.keys(s).sort(), ['id', 'identifiers', 'reportIds']);
        assert.ok(s.identifiers.some((i) => i.kind === 'phone' && i.value === '+639171234567'));
      } finally {
        await store.close();
      }
    });

    test('the hub cap blocks a value, lists it, and lifts when the count falls', async () => {
      const store = await backend.open();
      try {
        const shop = (id: string, phone: string): CybertipReport => makeReport(id, { person: person([phone]) });
        await putReports(
          store,
          ['600', '601', '602', '603', '604'].map((id) => shop(id, '09181112222')),
        );
        await runLink(store, { params: { hubCap: 3 } });
        assert.deepEqual(await subjects(store), []);
        assert.deepEqual(
          (await listHubs(store.db)).map((h) => [h.value, h.reportCount]),
          [['+639181112222', 5]],
        );
        // Two reports are re-sent without the number: three remain, under the cap.
        await putReports(store, [shop('603', '09180000001'), shop('604', '09180000002')]);
        await runLink(store, { params: { hubCap: 3 } });
        assert.deepEqual(await listHubs(store.db), []);
        assert.deepEqual(await subjects(store), [['600', '601', '602']]);
      } finally {
        await store.close();
      }
    });

    test('incremental runs and a rebuild give the same subjects; prior reports link; decisions survive a rebuild', async () => {
      const store = await backend.open();
      try {
        // 702 cites 700 before 700 is stored; 701 and 703 share a device; 704 and 705 an e-mail.
        await putReports(store, [
          makeReport('702', { priorCTReports: ['700'] }),
          makeReport('701', { deviceIds: [{ idType: 'IMEI', idValue: '35-209900-176148-1' }] }),
        ]);
        await runLink(store);
        await putReports(store, [
          makeReport('700', { espIdentifier: '100012345' }),
          makeReport('703', { deviceIds: [{ idType: 'IMEI', idValue: '352099001761481' }], espIdentifier: '100012345' }),
          makeReport('704', { person: person([], ['ana@yahoo.com']) }),
          makeReport('705', { person: person([], ['Ana@Yahoo.com']) }),
        ]);
        await runLink(store);
        const incremental = await subjects(store);
        assert.deepEqual(incremental, [
          ['700', '701', '702', '703'],
          ['704', '705'],
        ]);
        await runLink(store, { rebuild: true });
        assert.deepEqual(await subjects(store), incremental);

        const why = await whyLinked(store, '702', '701');
        assert.equal(why.linked, true);
        assert.deepEqual(why.path, ['702', '700', '703', '701']);
        assert.deepEqual(
          why.steps.map((s) => s.shared.map((x) => x.kind)),
          [['prior-ct-report'], ['esp-user-id'], ['device-id']],
        );

        await manualDecision(store, { action: 'split', a: '702' }, 'different user');
        await manualDecision(store, { action: 'merge', a: '701', b: '704' }, 'same household');
        const decided = [['700', '701', '703', '704', '705']];
        assert.deepEqual(await subjects(store), decided);
        await runLink(store, { rebuild: true });
        assert.deepEqual(await subjects(store), decided);
        assert.equal((await whyLinked(store, '701', '704')).steps[0]?.rule, 'manual merge');
      } finally {
        await store.close();
      }
    });

    test('exclusions (exact or wildcard) apply to what is already linked', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [
          makeReport('800', { person: person(['09171110000'], ['tindahan@shop.example.ph']) }),
          makeReport('801', { person: person(['09171110000']) }),
          makeReport('802', { person: person([], ['tindahan@shop.example.ph']) }),
        ]);
        await runLink(store);
        assert.deepEqual(await subjects(store), [['800', '801', '802']]);
        await excludeValue(store, '+639171110000', 'shop front number');
        assert.deepEqual(await subjects(store), [['800', '802']]);
        await excludeValue(store, '%@shop.example.ph', 'shop mailboxes');
        assert.deepEqual(await subjects(store), []);
        await runLink(store, { rebuild: true });
        assert.deepEqual(await subjects(store), []);
        await assert.rejects(excludeValue(store, 'x', ' '), /comment/);
      } finally {
        await store.close();
      }
    });
  });
}
