// End to end: `bantay generate --format both` writes one stream as XML and as LE JSON; each is
// ingested through the CLI into its own database, on both backends, and the two databases must
// hold the same canonical reports, summaries, versions and link identifiers. The fields that
// cannot round-trip are listed (docs/lejson.md) and are the only differences allowed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { testBackends } from './support/stores.ts';
import { runCli } from './support/cli.ts';
import { repoRoot } from './support/shared.ts';
import { openStore, type StoreLocation } from '../src/store/database.ts';
import type { CybertipReport } from '../src/model/report.ts';
import { withoutLeOnly } from './support/lejson.ts';

const work = mkdtempSync(join(tmpdir(), 'bantay-lejson-e2e-'));
const stream = join(work, 'stream');
after(() => rmSync(work, { recursive: true, force: true }));

/** Top-level fields of the canonical report that may differ between the XML and the LE JSON of one report, and why. */
const MAY_DIFFER: Record<string, string> = {
  idSource: 'a bare XML report takes its number from the file name (filename); in LE JSON the number is a field (envelope)',
  warnings: 'warnings describe the source text (XML attributes, JSON keys), not the report',
};

interface Ingested {
  summary: { reportsRead: number; newReports: number; newVersions: number; unchanged: number; quarantined: number };
  docs: Map<string, Record<string, unknown>>;
  rows: Map<string, Record<string, unknown>>;
  identifiers: string[];
  subjects: string[];
}

async function ingestAndRead(location: StoreLocation, folder: string): Promise<Ingested> {
  const r = await runCli(['ingest', folder, '--json'], location);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  const l = await runCli(['link', '--json'], location);
  assert.equal(l.code, 0, l.stderr + l.stdout);
  const store = await openStore(location);
  try {
    const versions = await store.db.selectFrom('report_versions').select(['report_id', 'version', 'doc']).execute();
    const rows = await store.db.selectFrom('reports').selectAll().execute();
    const ids = await sql<{ r: string }>`select report_id || ' ' || kind || ' ' || key || ' ' || role || ' ' || strength as r from link_identifiers`.execute(
      store.db,
    );
    const subj = await sql<{ m: string }>`select string_agg(report_id, ',' order by report_id) as m from link_subjects group by subject_id`.execute(store.db);
    return {
      summary: JSON.parse(r.stdout) as Ingested['summary'],
      docs: new Map(versions.map((v) => [`${v.report_id}#${v.version}`, v.doc as Record<string, unknown>])),
      rows: new Map(
        rows.map((row) => {
          const { first_ingested_at: _f, updated_at: _u, id_source: _i, ...rest } = row as Record<string, unknown>;
          return [String(row.report_id), rest];
        }),
      ),
      identifiers: ids.rows.map((x) => x.r).sort(),
      subjects: subj.rows.map((x) => x.m).sort(),
    };
  } finally {
    await store.close();
  }
}

before(async () => {
  const g = await runCli(['generate', '--reports', '600', '--seed', '23', '--days', '8', '--format', 'both', '--out', stream, '--json'], undefined);
  assert.equal(g.code, 0, g.stderr);
});

test('generate --format both writes the same files twice: XML in reports/, LE JSON (arrays, JSON Lines, single documents) in reports-lejson/', () => {
  const list = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .filter((f) => statSync(join(dir, f)).isFile())
      .sort();
  const xml = list(join(stream, 'reports'));
  const json = list(join(stream, 'reports-lejson'));
  assert.equal(json.length, xml.length);
  const stem = (f: string): string => f.replace(/\.(xml|jsonl|json)(\.gz)?$/, '');
  assert.deepEqual(json.map(stem), xml.map(stem));
  assert.ok(
    json.some((f) => f.endsWith('.jsonl')) &&
      json.some((f) => /batch-\d+\.json$/.test(f)) &&
      json.some((f) => /single-\d+\.json/.test(f)) &&
      json.some((f) => f.endsWith('.gz')),
  );
});

for (const backend of testBackends()) {
  describe(`LE JSON and XML of one stream on the ${backend.name} backend`, { skip: backend.skip }, () => {
    let xml: Ingested;
    let json: Ingested;
    const disposers: (() => Promise<void>)[] = [];
    let jsonLocation: StoreLocation;
    before(async () => {
      const a = await backend.fresh();
      const b = await backend.fresh();
      disposers.push(a.dispose, b.dispose);
      jsonLocation = b.location;
      xml = await ingestAndRead(a.location, join(stream, 'reports'));
      json = await ingestAndRead(b.location, join(stream, 'reports-lejson'));
    });
    after(async () => {
      for (const d of disposers) await d();
    });

    test('the same reports, versions and duplicates are loaded, nothing quarantined', () => {
      assert.deepEqual(json.summary.quarantined, 0);
      for (const k of ['reportsRead', 'newReports', 'newVersions', 'unchanged', 'quarantined'] as const) assert.equal(json.summary[k], xml.summary[k], k);
      assert.equal(json.summary.newReports, 600);
      assert.deepEqual([...json.docs.keys()].sort(), [...xml.docs.keys()].sort());
    });

    test('canonical documents are equal except the fields listed as unable to round-trip', (t) => {
      const differing = new Map<string, number>();
      for (const [key, x] of xml.docs) {
        // The routed country's name and each IP look-up's list exist in LE JSON only (docs/lejson.md).
        const j = withoutLeOnly(json.docs.get(key)! as unknown as CybertipReport) as unknown as Record<string, unknown>;
        for (const field of new Set([...Object.keys(x), ...Object.keys(j)])) {
          if (JSON.stringify(x[field]) === JSON.stringify(j[field])) continue;
          differing.set(field, (differing.get(field) ?? 0) + 1);
          if (!(field in MAY_DIFFER)) assert.deepEqual(j[field], x[field], `${key}: ${field}`);
        }
        if (x['idSource'] !== j['idSource']) assert.deepEqual([x['idSource'], j['idSource']], ['filename', 'envelope'], key);
      }
      for (const [field, n] of differing) t.diagnostic(`${field} differs in ${n} of ${xml.docs.size} versions: ${MAY_DIFFER[field]}`);
      assert.ok((differing.get('idSource') ?? 0) > 0, 'the stream has bare reports, whose id source differs');
    });

    test('summary rows (queue fields, version counts) are equal', () => {
      assert.equal(json.rows.size, xml.rows.size);
      for (const [id, x] of xml.rows) assert.deepEqual(json.rows.get(id), x, id);
    });

    test('linking finds the same identifiers and the same subjects', () => {
      assert.ok(xml.identifiers.length > 1000);
      assert.deepEqual(json.identifiers, xml.identifiers);
      assert.deepEqual(json.subjects, xml.subjects);
    });

    test('bad LE JSON goes to the quarantine table with its line, index and reason; the good lines load', async () => {
      const r = await runCli(['ingest', join(repoRoot, 'test', 'fixtures', 'lejson', 'quarantine.jsonl'), '--json'], jsonLocation);
      assert.equal(r.code, 3, r.stderr + r.stdout);
      const s = JSON.parse(r.stdout) as { newReports: number; quarantined: number };
      assert.deepEqual([s.newReports, s.quarantined], [2, 8]);
      const q = await runCli(['quarantine', 'list', '--json'], jsonLocation);
      const rows = (JSON.parse(q.stdout) as { line: number | null; index: number | null; reportId: string | null; reason: string; hasRaw: boolean }[]).sort(
        (a, b) => (a.line ?? 0) - (b.line ?? 0),
      );
      assert.deepEqual(
        rows.map((x) => [x.line, x.index, x.reportId, x.hasRaw]),
        [
          [2, 1, '310000011', true],
          [3, 2, null, true],
          [4, 3, '310000013', true],
          [5, 4, '310000014', true],
          [6, 5, null, true],
          [7, 6, null, true],
          [8, 7, null, true],
          [9, 8, '310000017', true],
        ],
      );
      assert.match(rows[3]!.reason, /^report 310000014: reportedInformation\/incidentSummary\/incidentDateTime "2026-02-30T00:00:00Z" is not a date-time/);
    });
  });
}
