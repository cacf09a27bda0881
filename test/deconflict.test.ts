// Deconfliction between two agencies' databases on one machine (docs/deconfliction.md): agency A
// (each backend in turn) exports keyed hashes of its active case's identifiers; agency B (an
// embedded folder) imports them and sees its reports marked, whatever form the phone is written in.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Store } from '../src/store/database.ts';
import { testBackends } from './support/stores.ts';
import { makeReport, person, putReports } from './fixtures/link/reports.ts';
import { runLink } from '../src/link/run.ts';
import { createUser, CLI_ACTOR } from '../src/cases/accounts.ts';
import { randomPassword } from '../src/cases/passwords.ts';
import { closeCase, createCase, type WorkActor } from '../src/cases/work.ts';
import { findSharedKey, findSigningKey, type SharedKey, type SigningKey } from '../src/deconflict/keys.ts';
import { config } from '../src/config/current.ts';
import { externalMarks, matchExternal, subjectMarks } from '../src/deconflict/run.ts';
import { addPeer, exportDeconfliction, importDeconfliction } from '../src/cases/deconfliction.ts';
import { fileText, parseFile, type DeconflictFile } from '../src/deconflict/file.ts';
import { scoreReports } from '../src/triage/rescore.ts';
import { reportScore } from '../src/triage/queue.ts';
import { processNew } from '../src/pipeline/process.ts';
import { isBantayError } from '../src/model/error.ts';

const key = (): string => randomBytes(32).toString('hex');
// The pipeline reads the shared key from the environment, as `bantay ingest` does.
process.env.BANTAY_DECONFLICT_KEY = key();
const SHARED = findSharedKey()!;
const OTHER_SHARED = findSharedKey({ ...config().secrets, deconflictKey: key() })!;
const SIGN_A = findSigningKey({ ...config().secrets, deconflictSigningKey: key() })!;
const SIGN_C = findSigningKey({ ...config().secrets, deconflictSigningKey: key() })!;
const NOW = new Date('2026-03-10T08:00:00Z');
const DAY = 86_400_000;

/** Agency A: a subject in an active case (reported phone and e-mail), a victim's phone, an unrelated report. */
async function agencyA(store: Store): Promise<{ actor: WorkActor; caseId: string }> {
  await putReports(store, [
    makeReport(
      '310000001',
      { person: person(['+63 917 123 4567'], ['juan.dela.cruz.osec@gmail.com']), espIdentifier: '88001234567', screenName: 'kuya_pogi_2026' },
      {
        victims: [
          {
            role: 'victim',
            displayNames: [],
            profileUrls: [],
            ipCaptureEvents: [],
            deviceIds: [],
            priorCTReports: [],
            associatedAccounts: [],
            additionalInfo: [],
            person: person(['+63 918 765 4321']),
          },
        ],
      },
    ),
    makeReport('310000002', { person: person(['09171234567', '0000000000']), deviceIds: [{ idType: 'IMEI', idValue: '35-209900-176148-1' }] }),
    makeReport('310000003', { person: person(['+63 999 555 1212'], ['unrelated.person.ph@yahoo.com']) }),
  ]);
  await runLink(store);
  const u = (await createUser(store, { username: 'supervisor-a', password: randomPassword(), role: 'supervisor' })).user;
  const actor: WorkActor = { user: u, ip: '127.0.0.1' };
  const c = await createCase(store, actor, {
    title: 'Payer ring',
    leadId: u.id,
    items: [
      { kind: 'report', itemId: '310000001' },
      { kind: 'report', itemId: '310000002' },
    ],
  });
  return { actor, caseId: c.id };
}

/** Agency B: the same phone in another written form, linked to a second report by a device; and an unrelated report. */
async function agencyB(store: Store): Promise<void> {
  await putReports(store, [
    makeReport('420000001', { person: person(['0917-123-4567']), deviceIds: [{ idType: 'IMEI', idValue: '490154203237518' }] }),
    makeReport('420000002', { deviceIds: [{ idType: 'IMEI', idValue: '4901 5420 3237 518' }], screenName: 'someone_else_b' }),
    makeReport('420000003', { person: person(['+63 917 000 1111'], ['nobody.here.b@gmail.com']) }),
  ]);
  await runLink(store);
}

/** Every identifier, report, case and subject id of a database, as written and normalised (6 characters or more: shorter values occur by chance in hex). */
async function everyIdentifier(store: Store): Promise<string[]> {
  const rows = await sql<{ v: string }>`
    select value as v from link_identifiers union select raw from link_identifiers union select key from link_identifiers
    union select substr(key, strpos(key, ':') + 1) from link_identifiers
    union select report_id from reports union select id from cases union select subject_id from link_subjects`.execute(store.db);
  return rows.rows.map((r) => r.v).filter((v) => v.length >= 6);
}

const tamper = (f: DeconflictFile, change: Partial<DeconflictFile>): Uint8Array => new TextEncoder().encode(JSON.stringify({ ...f, ...change }));

async function refusedWith(p: Promise<unknown>, re: RegExp): Promise<void> {
  await assert.rejects(p, (err: unknown) => isBantayError(err, 'REFUSED') && re.test(err.message), `expected a refusal matching ${re}`);
}

for (const backend of testBackends()) {
  describe(`deconfliction between agencies: A on the ${backend.name} backend, B embedded`, { skip: backend.skip }, () => {
    let a: Store;
    let b: Store;
    let caseA: { actor: WorkActor; caseId: string };
    const opt = (extra: { shared?: SharedKey; signing?: SigningKey; now?: Date } = {}) => ({ shared: SHARED, signing: SIGN_A, now: NOW, ...extra });
    before(async () => {
      a = await backend.open();
      b = await testBackends()[0]!.open();
      caseA = await agencyA(a);
      await agencyB(b);
      await addPeer(b, 'AU-ACCCE', SIGN_A.publicKeyText);
    });
    after(async () => {
      await a?.close();
      await b?.close();
    });

    test("the exported file holds keyed hashes of the active case's identifiers only: no identifier, report, case or subject in clear", async () => {
      const e = await exportDeconfliction(a, { ...opt(), agency: 'AU-ACCCE', contact: 'OSEC liaison desk' });
      const text = e.text.toLowerCase();
      for (const v of await everyIdentifier(a)) assert.equal(text.includes(v.toLowerCase()), false, `the file shows ${v}`);
      const digests = new Set(e.file.entries.map(([d]) => d));
      // The reported phone, e-mail, account and device of the case's reports are in it...
      for (const k of [
        'phone:+639171234567',
        'email:juandelacruzosec@gmail.com',
        'esp-user-id:facebook:88001234567',
        'device-id:352099001761481',
        'screen-name:facebook:kuya_pogi_2026',
      ])
        assert.ok(digests.has(SHARED.digest(k)), `${k} should be exported`);
      // ...never the victim's phone, a placeholder, or a report outside the case.
      for (const k of ['phone:+639187654321', 'phone:+639995551212', 'email:unrelated.person.ph@yahoo.com', 'phone-raw:0000000000'])
        assert.equal(digests.has(SHARED.digest(k)), false, `${k} must not be exported`);
      assert.equal(e.file.entries.length, 5);
      assert.ok(e.file.entries.every(([, since]) => since === NOW.toISOString().slice(0, 10) || /^\d{4}-\d{2}-\d{2}$/.test(since)));
      assert.ok(parseFile(new TextEncoder().encode(e.text)).ok);
      const audit = await a.db.selectFrom('audit_log').select(['action', 'detail']).where('action', '=', 'deconflict.export').execute();
      assert.equal(audit.length, 1);
      assert.equal((JSON.parse(audit[0]!.detail) as { entries: number }).entries, 5);
    });

    test("B sees the same phone written in another form: the report through its own identifier, its subject's other report through the subject", async () => {
      const e = await exportDeconfliction(a, { ...opt(), agency: 'AU-ACCCE', contact: 'OSEC liaison desk' });
      const r = await importDeconfliction(b, new TextEncoder().encode(e.text), { name: 'a.json', now: NOW, shared: SHARED });
      assert.equal(r.peer, 'AU-ACCCE');
      assert.equal(r.match.marked, 2);
      const marks = await externalMarks(b, ['420000001', '420000002', '420000003']);
      assert.deepEqual(
        marks.get('420000001')?.map((m) => [m.agency, m.contact, m.via, m.kinds.join()]),
        [['AU-ACCCE', 'OSEC liaison desk', 'report', 'phone']],
      );
      assert.equal(marks.get('420000001')![0]!.since, e.file.entries[0]![1]);
      assert.deepEqual(
        marks.get('420000002')?.map((m) => [m.agency, m.via]),
        [['AU-ACCCE', 'subject']],
      );
      assert.equal(marks.has('420000003'), false);
      assert.deepEqual(
        (await subjectMarks(b, ['420000001', '420000002'])).map((m) => m.agency),
        ['AU-ACCCE'],
      );
      // Triage reads the marks through its context table: the rule flags the report, with the agency as evidence, without pausing it.
      await scoreReports(b, { now: NOW });
      const s = await reportScore(b, '420000001');
      const fired = s?.reasons.find((x) => x.rule === 'external-case');
      assert.ok(fired, 'external-case should fire');
      assert.match(fired.evidence, /AU-ACCCE|external/);
      assert.equal(s?.paused, false);
      assert.equal(
        (await reportScore(b, '420000003'))?.reasons.some((x) => x.rule === 'external-case'),
        false,
      );
      const audit = await b.db.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'deconflict.import').execute();
      assert.deepEqual(
        audit.map((x) => x.target_id),
        ['AU-ACCCE'],
      );
    });

    test('a tampered, unsigned, unknown-sender, other-key, expired or replayed file is refused with its reason, audited, and changes nothing', async () => {
      const later = new Date(NOW.getTime() + 60_000);
      const good = (await exportDeconfliction(a, { ...opt({ now: later }), agency: 'AU-ACCCE', contact: 'OSEC liaison desk' })).file;
      const before = await externalMarks(b, ['420000001', '420000002']);
      const imp = (bytes: Uint8Array, now = later) => importDeconfliction(b, bytes, { now, shared: SHARED });
      await refusedWith(imp(tamper(good, { contact: 'Someone else' })), /signature does not verify/);
      await refusedWith(imp(tamper(good, { expiresAt: new Date(later.getTime() + 80 * DAY).toISOString() })), /signature does not verify/);
      const { signature: _s, ...unsigned } = good;
      await refusedWith(imp(new TextEncoder().encode(JSON.stringify(unsigned))), /not signed/);
      await refusedWith(imp(tamper(good, { signature: '' })), /not signed/);
      await refusedWith(imp(tamper(good, { agency: 'XX-UNKNOWN' })), /unknown sender "XX-UNKNOWN"/);
      // Signed by someone else under the name of a registered peer.
      const forged = await exportDeconfliction(a, { ...opt({ now: later, signing: SIGN_C }), agency: 'AU-ACCCE', contact: 'OSEC liaison desk' });
      await refusedWith(imp(new TextEncoder().encode(forged.text)), /signature does not verify/);
      const otherKey = await exportDeconfliction(a, { ...opt({ now: later, shared: OTHER_SHARED }), agency: 'AU-ACCCE', contact: 'OSEC liaison desk' });
      await refusedWith(imp(new TextEncoder().encode(otherKey.text)), /another shared key/);
      const old = await exportDeconfliction(a, {
        ...opt({ now: new Date(NOW.getTime() - 40 * DAY) }),
        agency: 'AU-ACCCE',
        contact: 'OSEC liaison desk',
        days: 30,
      });
      await refusedWith(imp(new TextEncoder().encode(old.text)), /expired on/);
      const older = await exportDeconfliction(a, { ...opt({ now: new Date(NOW.getTime() - 60_000) }), agency: 'AU-ACCCE', contact: 'OSEC liaison desk' });
      await refusedWith(imp(new TextEncoder().encode(older.text)), /already imported.*not newer/);
      await refusedWith(imp(tamper(good, { entries: [['not-hex', '2026-01-01']] })), /not a valid deconfliction file: entry 1: the digest/);
      await refusedWith(imp(new TextEncoder().encode('not json')), /not JSON/);
      // Entries edited in place keep their order but break the signature.
      const edited = good.entries.map(([d, s], i) => [d, i === 0 ? '2000-01-01' : s] as [string, string]);
      await refusedWith(imp(new TextEncoder().encode(fileText({ ...good, entries: edited }))), /signature does not verify/);
      assert.deepEqual(await externalMarks(b, ['420000001', '420000002']), before);
      const refused = await b.db.selectFrom('audit_log').select('detail').where('action', '=', 'deconflict.import.refused').execute();
      assert.equal(refused.length, 12);
      assert.ok(refused.every((r) => typeof (JSON.parse(r.detail) as { reason?: string }).reason === 'string'));
    });

    test('a closed case leaves with the next file; expired files drop out with their marks; the pipeline keeps marks current', async () => {
      await closeCase(a, caseA.actor, caseA.caseId, 'referred abroad');
      const t = new Date(NOW.getTime() + 2 * 60_000);
      const empty = await exportDeconfliction(a, { ...opt({ now: t }), agency: 'AU-ACCCE', contact: 'OSEC liaison desk', days: 1 });
      assert.equal(empty.file.entries.length, 0);
      const r = await importDeconfliction(b, new TextEncoder().encode(empty.text), { now: t, shared: SHARED });
      assert.equal(r.match.marked, 0);
      assert.equal(r.match.removed, 2);
      // A fresh case again; its file expires in one day.
      await createCase(a, caseA.actor, { title: 'Again', leadId: caseA.actor.user.id, items: [{ kind: 'report', itemId: '310000001' }] });
      const t2 = new Date(t.getTime() + 60_000);
      const again = await exportDeconfliction(a, { ...opt({ now: t2 }), agency: 'AU-ACCCE', contact: 'OSEC liaison desk', days: 1 });
      await importDeconfliction(b, new TextEncoder().encode(again.text), { now: t2, shared: SHARED });
      assert.deepEqual([...(await externalMarks(b, ['420000001', '420000002'])).keys()].sort(), ['420000001', '420000002']);
      // A new report of B holding the phone is marked by the next pipeline run.
      await putReports(b, [makeReport('420000009', { person: person(['(0917) 123 4567']) })]);
      const p = await processNew(b, { now: new Date(t2.getTime() + 60_000) });
      assert.ok(p.timings.some((x) => x.stage === 'external-deconfliction'));
      assert.equal((await externalMarks(b, ['420000009'])).get('420000009')?.[0]?.via, 'report');
      // Two days later the file has expired: its entries and marks are gone.
      const m = await matchExternal(b, { now: new Date(t2.getTime() + 2 * DAY), shared: SHARED });
      assert.deepEqual(m.expired, ['AU-ACCCE']);
      assert.equal(m.marked, 0);
      assert.equal((await externalMarks(b, ['420000001', '420000002', '420000009'])).size, 0);
      assert.equal(
        Number(
          (
            await b.db
              .selectFrom('deconflict_entries')
              .select((eb) => eb.fn.countAll<string>().as('n'))
              .executeTakeFirstOrThrow()
          ).n,
        ),
        0,
      );
    });
  });
}

describe('deconfliction keys and peers', () => {
  test('a peer key must be an Ed25519 public key; a name is registered once unless replaced', async () => {
    const store = await testBackends()[0]!.open();
    try {
      await assert.rejects(addPeer(store, 'X', 'bm90IGEga2V5'), /not a public key/);
      await addPeer(store, 'NL-POLITIE', SIGN_C.publicKeyText, { actor: CLI_ACTOR });
      await assert.rejects(addPeer(store, 'NL-POLITIE', SIGN_A.publicKeyText), /registered already/);
      assert.equal((await addPeer(store, 'NL-POLITIE', SIGN_A.publicKeyText, { replace: true })).fingerprint, SIGN_A.fingerprint);
      const audit = await store.db.selectFrom('audit_log').select('action').where('action', '=', 'deconflict.peer.add').execute();
      assert.equal(audit.length, 2);
    } finally {
      await store.close();
    }
  });
});
