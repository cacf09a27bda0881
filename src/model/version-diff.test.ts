import { test } from 'node:test';
import assert from 'node:assert/strict';
import { versionChanges } from './version-diff.ts';

test('version changes: added, removed and changed fields with readable paths and JSON pointers', () => {
  const before = { incident: { type: 'A' }, files: [{ md5: 'x' }, { md5: 'y' }], note: 'gone', 'a/b': 1 };
  const after = { incident: { type: 'B', time: 't' }, files: [{ md5: 'x' }, { md5: 'z' }], 'a/b': 2 };
  const c = versionChanges(before, after);
  assert.deepEqual(
    c.changed.map((x) => [x.path, x.pointer, x.before, x.after]),
    [
      ['incident › type', '/incident/type', 'A', 'B'],
      ['files #2 › md5', '/files/1/md5', 'y', 'z'],
      ['a/b', '/a~1b', 1, 2],
    ],
  );
  assert.deepEqual(
    c.added.map((x) => [x.path, x.after]),
    [['incident › time', 't']],
  );
  assert.deepEqual(
    c.removed.map((x) => [x.path, x.before]),
    [['note', 'gone']],
  );
  assert.deepEqual(versionChanges(before, structuredClone(before)), { added: [], removed: [], changed: [] });
  // A nested array item and a document that is not an object do not break it.
  assert.equal(versionChanges({ a: [[1]] }, { a: [[2]] }).changed[0]!.path, 'a #1 #1');
  assert.equal(versionChanges(null, { a: 1 }).changed[0]!.path, '(whole report)');
});
