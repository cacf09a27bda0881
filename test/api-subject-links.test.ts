// The subject page's "why linked": each pair of its reports that shares evidence carries the rule
// that links it (one strong identifier, two medium ones, weak evidence of two kinds adding up), or
// null when the pair shares too little and is joined through the subject's other reports. Both backends.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { testBackends } from './support/stores.ts';
import { seedReports, seededId } from '../bench/api-seed.ts';
import { apiSuite, call } from './api-support.ts';
import { weakWeight, DEFAULT_LINK_PARAMS } from '../src/link/rules.ts';

const [r1, r2, r3, r4] = [1, 2, 3, 4].map(seededId) as [string, string, string, string];

for (const backend of testBackends()) {
  describe(`the rule of each linked pair on the subject page, ${backend.name} backend`, { skip: backend.skip }, () => {
    const s = apiSuite(backend);
    before(async () => {
      await seedReports(s.store.db, 1, 4, { groupSize: 4 });
      const name = weakWeight('display-name', 2, DEFAULT_LINK_PARAMS);
      const ip = weakWeight('ip', 2, DEFAULT_LINK_PARAMS);
      const rows: [string, string, string, string, string, string, number | null][] = [
        [r1, r2, 'phone:+639170000000', 'phone', 'strong', '+639170000000', null],
        [r2, r3, 'display-name:mayumi dela rosa', 'display-name', 'weak', 'mayumi dela rosa (held by 2 reports)', name],
        [r2, r3, 'ip:49.145.10.20', 'ip', 'weak', '49.145.10.20 (held by 2 reports) within 3 h', ip],
        [r3, r4, 'email:someone@example.org', 'email', 'medium', 'someone@example.org', null],
      ];
      for (const [a, b, key, kind, strength, detail, weight] of rows)
        await sql`insert into link_evidence (report_a, report_b, key, kind, strength, detail, weight) values (${a}, ${b}, ${key}, ${kind}, ${strength}, ${detail}, ${weight})`.execute(
          s.store.db,
        );
    });

    test('strong, weak together, and a pair held by one medium identifier only (no rule of its own)', async () => {
      const r = await call(s.app, s.as.supervisor, 'GET', '/api/subjects/S-0');
      assert.equal(r.statusCode, 200, r.body);
      const links = (r.json() as { links: { a: string; b: string; rule: string | null; reasons: { kind: string }[] }[] }).links;
      const rule = (a: string, b: string): string | null | undefined => links.find((l) => l.a === a && l.b === b)?.rule;
      assert.equal(rule(r1, r2), 'strong identifier');
      assert.equal(rule(r2, r3), 'weak evidence together');
      assert.equal(rule(r3, r4), null);
      assert.deepEqual(
        links
          .find((l) => l.a === r2 && l.b === r3)
          ?.reasons.map((x) => x.kind)
          .sort(),
        ['display-name', 'ip'],
      );
    });
  });
}
