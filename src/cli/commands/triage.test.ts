import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize, type CybertipReport } from '../../model/report.ts';
import { openStore } from '../../store/database.ts';
import { prepareVersion, writeReportBatch } from '../../store/reports.ts';
import { testBackends } from '../../../test/support/stores.ts';
import { runCli } from '../../../test/support/cli.ts';
import { makeReport } from '../../../test/fixtures/link/reports.ts';

function report(id: string, escalate?: string): CybertipReport {
  const r = makeReport(id, {}, { envelope: { ipLookups: [], receivedAt: '2026-01-05T00:00:00Z', referral: true } });
  if (escalate) r.incident.escalateToHighPriority = escalate;
  return r;
}

for (const backend of testBackends()) {
  describe(`triage commands on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test('score, queue --json, rules export/import/test, suspects', async () => {
      const fresh = await backend.fresh();
      const dir = mkdtempSync(join(tmpdir(), 'bantay-rules-'));
      try {
        const store = await openStore(fresh.location);
        const reports = [report('7001'), report('7002', 'A child is at risk tonight.')];
        await writeReportBatch(
          store.db,
          reports.map((r) => prepareVersion({ reportId: r.reportId, idSource: r.idSource, summary: summarize(r), doc: r, raw: '<report/>', source: 'test' })),
          null,
          store.copy,
        );
        await store.close();

        const scored = await runCli(['score', '--all', '--as-of', '2026-01-10T00:00:00Z'], fresh.location);
        assert.equal(scored.code, 0, scored.stderr);
        assert.match(scored.stdout, /Scored 2 report\(s\) with ruleset v1/);

        const q = await runCli(['queue', '--json', '--limit', 'all'], fresh.location);
        assert.equal(q.code, 0, q.stderr);
        const items = JSON.parse(q.stdout) as {
          reportId: string;
          tier: string;
          firstInTier: boolean;
          harm: number;
          actionability: number;
          score: number;
          status: string;
          reasons: { rule: string; effect: string; evidence: string }[];
        }[];
        assert.deepEqual(
          items.map((i) => i.reportId),
          ['7002', '7001'],
        );
        assert.deepEqual(Object.keys(items[0]!), [
          'reportId',
          'tier',
          'firstInTier',
          'harm',
          'actionability',
          'score',
          'status',
          'preservationDeadline',
          'reasons',
        ]);
        assert.equal(items[0]!.status, 'new');
        assert.equal(items[0]!.tier, 'IMMEDIATE');
        // The reasoned escalation is a child at immediate risk: ahead of its tier, and the table says so.
        assert.deepEqual(
          items.map((i) => i.firstInTier),
          [true, false],
        );
        assert.match((await runCli(['queue'], fresh.location)).stdout, /7002 +IMMEDIATE, first/);
        assert.deepEqual(Object.keys(items[0]!.reasons[0]!), ['rule', 'effect', 'evidence']);
        assert.deepEqual(
          items[0]!.reasons.find((r) => r.rule === 'escalation-reason'),
          { rule: 'escalation-reason', effect: 'harm +60', evidence: 'escalationReason' },
        );

        const exported = await runCli(['rules', 'export'], fresh.location);
        assert.equal(exported.code, 0, exported.stderr);
        const ruleset = JSON.parse(exported.stdout) as { version: number; rules: { id: string; effect: unknown }[] };
        assert.equal(ruleset.version, 1);
        const same = join(dir, 'same.json');
        writeFileSync(same, exported.stdout);
        assert.match((await runCli(['rules', 'import', same], fresh.location)).stdout, /Already stored as version 1/);

        const bad = join(dir, 'bad.json');
        writeFileSync(
          bad,
          JSON.stringify({
            ...ruleset,
            rules: [{ id: 'x', description: 'd', source: 's', when: { feature: 'nope', op: 'true' }, effect: { add: 'harm', value: 1 } }],
          }),
        );
        const rejected = await runCli(['rules', 'import', bad], fresh.location);
        assert.equal(rejected.code, 2, 'a bad ruleset is bad input (exit 2)');
        assert.match(rejected.stderr, /rules\[0\] \(x\)\.when\.feature: unknown feature "nope"/);

        // A candidate in which nothing is escalated any more: 7002 falls.
        const candidate = join(dir, 'candidate.json');
        writeFileSync(
          candidate,
          JSON.stringify({ ...ruleset, rules: ruleset.rules.map((r) => (r.id.startsWith('escalation') ? { ...r, enabled: false } : r)) }),
        );
        const tested = await runCli(['rules', 'test', candidate, '--as-of', '2026-01-10T00:00:00Z', '--json'], fresh.location);
        assert.equal(tested.code, 0, tested.stderr);
        const change = JSON.parse(tested.stdout) as { reports: number; tierChanges: Record<string, number> };
        assert.equal(change.reports, 2);
        assert.ok(
          Object.keys(change.tierChanges).some((k) => k.startsWith('IMMEDIATE→')),
          JSON.stringify(change),
        );

        // Calibration from an outcomes file: a bad row is set aside, the draft stored, nothing goes live.
        const outcomes = join(dir, 'outcomes.csv');
        writeFileSync(outcomes, 'reportId,outcome\n7001,noise\n7002,urgent\n7003,maybe\n');
        const cal = await runCli(['rules', 'calibrate', '--outcomes', outcomes, '--min-support', '1'], fresh.location);
        assert.equal(cal.code, 0, cal.stderr);
        assert.match(cal.stdout, /Calibrating ruleset v1 on 2 outcome\(s\) \(urgent 1, actionable 0, no-action 0, noise 1\)/);
        assert.match(cal.stdout, /line 4: unknown outcome "maybe"/);
        assert.match(cal.stdout, /urgent in the top 2×urgent \(2\)/);
        assert.match(cal.stdout, /Stored as draft version 2\./);
        assert.match((await runCli(['rules', 'list'], fresh.location)).stdout, /2\s+bantay-default\s+draft/);

        const suspects = await runCli(['suspects', '--json'], fresh.location);
        assert.equal(suspects.code, 0, suspects.stderr);
        assert.deepEqual(JSON.parse(suspects.stdout), []);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await fresh.dispose();
      }
    });
  });
}
