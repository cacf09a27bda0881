// Subject names survive re-runs: a case, a note or a bookmark that cites a subject keeps finding it
// when an earlier report joins, when subjects merge or split, and across a rebuild.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../store/database.ts';
import { liveSubjectId } from '../store/link.ts';
import { deconflictionOf, getCase, notesOf } from '../store/cases.ts';
import { rebuildDeconfliction } from '../triage/stages.ts';
import { testBackends } from '../../test/support/stores.ts';
import { makeReport, person, putReports } from '../../test/fixtures/link/reports.ts';
import { createUser } from '../cases/accounts.ts';
import { addNote, createCase, type WorkActor } from '../cases/work.ts';
import { keepSubjectNames } from './subjects.ts';
import { listSubjects } from './query.ts';
import { runLink } from './run.ts';

const m = (xs: [string, string][]): Map<string, string> => new Map(xs);

test('names: a group keeps the name most of its reports had; merged-away names point to it', () => {
  // First run: natural names after the earliest report.
  assert.deepEqual(
    [
      ...keepSubjectNames(
        m([
          ['5', 'g'],
          ['6', 'g'],
        ]),
        m([]),
        new Set(),
      ).membership,
    ],
    [
      ['5', 'S-5'],
      ['6', 'S-5'],
    ],
  );
  // An earlier report joins: the name stays.
  const joined = keepSubjectNames(
    m([
      ['1', 'S-1'],
      ['5', 'S-1'],
      ['6', 'S-1'],
    ]),
    m([
      ['5', 'S-5'],
      ['6', 'S-5'],
    ]),
    new Set(),
  );
  assert.deepEqual([...new Set(joined.membership.values())], ['S-5']);
  assert.deepEqual(joined.renames, []);
  // Two subjects merge: the larger part's name stays, the other points to it.
  const merged = keepSubjectNames(
    m([
      ['5', 'x'],
      ['6', 'x'],
      ['7', 'x'],
      ['8', 'x'],
      ['9', 'x'],
    ]),
    m([
      ['5', 'S-5'],
      ['6', 'S-5'],
      ['7', 'S-7'],
      ['8', 'S-7'],
      ['9', 'S-7'],
    ]),
    new Set(),
  );
  assert.deepEqual([...new Set(merged.membership.values())], ['S-7']);
  assert.deepEqual(merged.renames, [{ from: 'S-5', to: 'S-7' }]);
  // A subject splits in two halves: the half with the earliest report keeps the name; the other
  // is named after its earliest report.
  const split = keepSubjectNames(
    m([
      ['5', 'a'],
      ['6', 'a'],
      ['7', 'b'],
      ['8', 'b'],
    ]),
    m([
      ['5', 'S-5'],
      ['6', 'S-5'],
      ['7', 'S-5'],
      ['8', 'S-5'],
    ]),
    new Set(),
  );
  assert.deepEqual(
    [...split.membership],
    [
      ['5', 'S-5'],
      ['6', 'S-5'],
      ['7', 'S-7'],
      ['8', 'S-7'],
    ],
  );
  // A name that went elsewhere (retired) or that another group keeps is never given again.
  const moved = keepSubjectNames(
    m([
      ['5', 'a'],
      ['6', 'a'],
      ['2', 'b'],
      ['3', 'b'],
    ]),
    m([
      ['5', 'S-2'],
      ['6', 'S-2'],
    ]),
    new Set(['S-3']),
  );
  assert.deepEqual(
    [...moved.membership],
    [
      ['5', 'S-2'],
      ['6', 'S-2'],
      ['2', 'S-2-2'],
      ['3', 'S-2-2'],
    ],
  );
});

const named = async (store: Store): Promise<Record<string, string[]>> => Object.fromEntries((await listSubjects(store)).map((s) => [s.id, s.reportIds]));

for (const backend of testBackends()) {
  describe(`subject names on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test('a case on a subject keeps it when an earlier report joins and when it merges into a larger one', async () => {
      const store = await backend.open();
      try {
        const phone = { person: person(['09171112222']) };
        const mail = { person: person([], ['kuya.ben@yahoo.com']) };
        await putReports(store, [makeReport('905', phone), makeReport('906', phone), ...['910', '911', '912', '914'].map((id) => makeReport(id, mail))]);
        await runLink(store);
        assert.deepEqual(await named(store), { 'S-905': ['905', '906'], 'S-910': ['910', '911', '912', '914'] });

        const { user } = await createUser(store, { username: 'sup', password: 'a long enough passphrase 7', role: 'supervisor' });
        const a: WorkActor = { user, ip: '127.0.0.1' };
        const c = await createCase(store, a, { title: 'Operation names', leadId: user.id, items: [{ kind: 'subject', itemId: 'S-905' }] });
        await addNote(store, a, 'subject', 'S-905', 'same voice on both calls', null);

        // Last year's report arrives late and links by the phone: the subject keeps its name.
        await putReports(store, [makeReport('899', phone)]);
        await runLink(store);
        assert.deepEqual((await named(store))['S-905'], ['899', '905', '906']);
        await rebuildDeconfliction(store);
        assert.equal((await deconflictionOf(store.db, ['899'])).get('899')?.caseId, c.id);

        // A report holding both the phone and the e-mail joins the two: the larger name stays.
        await putReports(store, [makeReport('913', { person: person(['09171112222'], ['kuya.ben@yahoo.com']) })]);
        await runLink(store);
        assert.deepEqual(Object.keys(await named(store)), ['S-910']);
        assert.equal(await liveSubjectId(store.db, 'S-905'), 'S-910');
        // The case, the note and the deconfliction follow the name; new work cited by the old name lands on it.
        assert.deepEqual(
          (await getCase(store.db, c.id))!.items.map((i) => i.itemId),
          ['S-910'],
        );
        assert.deepEqual(
          (await notesOf(store.db, 'subject', 'S-910')).map((n) => n.text),
          ['same voice on both calls'],
        );
        await addNote(store, a, 'subject', 'S-905', 'bookmark from before the merge', null);
        assert.equal((await notesOf(store.db, 'subject', 'S-910')).length, 2);
        await rebuildDeconfliction(store);
        assert.equal((await deconflictionOf(store.db, ['910', '913', '899'])).size, 3);

        // A rebuild keeps every name.
        const before = await named(store);
        await runLink(store, { rebuild: true });
        assert.deepEqual(await named(store), before);
      } finally {
        await store.close();
      }
    });
  });
}
