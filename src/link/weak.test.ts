// Weak evidence adding up (docs/linking.md §2.1): a rare display name and the same public IP
// within days link two reports together; neither alone does, nor a common name, a busy IP, a
// shared (RFC 6598) address, sightings months apart, or a value over the hub cap.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { CybertipReport, IpCaptureEvent, Party } from '../model/report.ts';
import type { Store } from '../store/database.ts';
import { testBackends } from '../../test/support/stores.ts';
import { makeReport, putReports } from '../../test/fixtures/link/reports.ts';
import { listSubjects, reportLinks } from './query.ts';
import { runLink } from './run.ts';
import { DEFAULT_LINK_PARAMS, evidenceForKey, linkRule, weakThreshold, weakWeight, type KeyRow } from './rules.ts';
import { whyLinked } from './why.ts';

const none = (): undefined => undefined;
const P = DEFAULT_LINK_PARAMS;

async function subjects(store: Store): Promise<string[][]> {
  return (await listSubjects(store)).map((s) => s.reportIds).sort((a, b) => a[0]!.localeCompare(b[0]!));
}

const seen = (ipAddress: string, dateTime: string): IpCaptureEvent => ({ ipAddress, dateTime });

// A report on one service with a display name and IP sightings (no port: weak).
function on(id: string, platform: string, names: string[], ips: IpCaptureEvent[] = []): CybertipReport {
  const party: Partial<Party> = { displayNames: names, ipCaptureEvents: ips };
  const r = makeReport(id, party);
  return { ...r, incident: { ...r.incident, platform } };
}

describe('the weighted rule for weak evidence', () => {
  test('weights follow log2(m/u) with u = holders / population; the threshold is a 99% match probability', () => {
    assert.ok(Math.abs(weakWeight('display-name', 2, P) - Math.log2(0.5 * 5000)) < 1e-9);
    assert.ok(weakWeight('ip', 2, P) > weakWeight('ip', 3, P));
    assert.ok(Math.abs(weakThreshold(P) - Math.log2(10_000 * 99)) < 1e-9);
  });

  const rows = (key: string, kind: string, n: number, at: (i: number) => string | null = () => null): KeyRow[] =>
    Array.from({ length: n }, (_, i) => ({ reportId: String(100 + i), kind, value: key.slice(key.indexOf(':') + 1), key, strength: 'weak', at: at(i) }));

  test('a weak value pairs its holders, with its weight and holders in the detail; never over the cap, never as a hub', () => {
    const name = evidenceForKey('display-name:mayumi dlr', rows('display-name:mayumi dlr', 'display-name', 2), P, none);
    assert.deepEqual(
      name.evidence.map((e) => [e.a, e.b, e.strength, e.detail]),
      [['100', '101', 'weak', 'mayumi dlr (held by 2 reports)']],
    );
    assert.equal(name.evidence[0]!.weight, weakWeight('display-name', 2, P));
    const hub = evidenceForKey('display-name:x y', rows('display-name:x y', 'display-name', 21), P, none);
    assert.deepEqual(hub, { evidence: [] });
    // Too common to reach the threshold with any other kind: not stored at all (bounded rows).
    assert.deepEqual(evidenceForKey('display-name:juan', rows('display-name:juan', 'display-name', 8), P, none).evidence, []);
    // A weak row with a note (a value judged shared infrastructure) adds nothing.
    const noted = rows('ip:203.0.113.9', 'ip', 2, () => '2026-01-03T10:00:00.000Z').map((r) => ({ ...r, note: 'mobile network' }));
    assert.deepEqual(evidenceForKey('ip:203.0.113.9', noted, P, none).evidence, []);
    assert.equal(evidenceForKey('display-name:mayumi dlr', rows('display-name:mayumi dlr', 'display-name', 2), P, () => 'mayumi%').excludedBy, 'mayumi%');
  });

  test('an IP pairs only sightings within the window, and needs their times', () => {
    const key = 'ip:49.145.10.20';
    const times = ['2026-01-03T10:00:00.000Z', '2026-01-03T13:00:00.000Z', '2026-04-03T10:00:00.000Z'];
    const out = evidenceForKey(
      key,
      rows(key, 'ip', 3, (i) => times[i]!),
      P,
      none,
    );
    assert.deepEqual(
      out.evidence.map((e) => [e.a, e.b, e.detail]),
      [['100', '101', '49.145.10.20 (held by 3 reports) within 3 h']],
    );
    assert.deepEqual(evidenceForKey(key, rows(key, 'ip', 2), P, none).evidence, []);
  });

  test('two kinds must add up to the threshold; one kind alone never links, however rare', () => {
    const w = (kind: string, n: number): { a: string; b: string; strength: string; kind: string; weight: number } => ({
      a: '1',
      b: '2',
      strength: 'weak',
      kind,
      weight: weakWeight(kind as 'display-name' | 'ip' | 'url', n, P),
    });
    assert.equal(linkRule([w('display-name', 2), w('ip', 2)]), 'weak evidence together');
    assert.equal(linkRule([w('display-name', 2), w('display-name', 2)]), undefined);
    assert.equal(linkRule([w('display-name', 2)]), undefined);
    assert.equal(linkRule([w('display-name', 6), w('ip', 2)]), undefined);
    assert.equal(linkRule([w('ip', 2), w('url', 2)]), undefined);
    // The strong and medium rules are unchanged.
    assert.equal(linkRule([{ a: '1', b: '2', strength: 'medium' }]), undefined);
    assert.equal(linkRule([{ a: '1', b: '2', strength: 'strong' }]), 'strong identifier');
  });
});

for (const backend of testBackends()) {
  describe(`weak evidence on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test('a rare display name and the same public IP within hours link across two services; why names the rule', async () => {
      const store = await backend.open();
      try {
        await putReports(store, [
          on('100', 'Facebook', ['Mayumi Dela Rosa'], [seen('49.145.10.20', '2026-01-03T10:00:00Z')]),
          on('101', 'Instagram', ['mayumi  dela rosa'], [seen('49.145.10.20', '2026-01-03T13:00:00Z')]),
        ]);
        await runLink(store);
        assert.deepEqual(await subjects(store), [['100', '101']]);
        const why = await whyLinked(store, '100', '101');
        assert.equal(why.steps[0]?.rule, 'weak evidence together');
        assert.deepEqual(why.steps[0]?.shared.map((s) => [s.kind, s.value]).sort(), [
          ['display-name', 'mayumi dela rosa (held by 2 reports)'],
          ['ip', '49.145.10.20 (held by 2 reports) within 3 h'],
        ]);
        assert.equal((await reportLinks(store, '100')).linked[0]?.rule, 'weak evidence together');
      } finally {
        await store.close();
      }
    });

    test('a common name, a busy IP, a shared address, months apart, or one kind alone never link', async () => {
      const store = await backend.open();
      try {
        const t = '2026-01-03T10:00:00Z';
        const t2 = '2026-01-03T12:00:00Z';
        await putReports(store, [
          // A common display name (on six reports) with the same IP within hours.
          on('200', 'Facebook', ['Juan'], [seen('49.145.20.1', t)]),
          on('201', 'Instagram', ['Juan'], [seen('49.145.20.1', t2)]),
          ...['202', '203', '204', '205'].map((id) => on(id, 'TikTok', ['Juan'])),
          // A rare display name with an IP held by six reports within hours.
          on('210', 'Facebook', ['Ligaya Bautista'], [seen('49.145.30.1', t)]),
          on('211', 'Instagram', ['Ligaya Bautista'], [seen('49.145.30.1', t2)]),
          ...['212', '213', '214', '215'].map((id) => on(id, 'TikTok', [], [seen('49.145.30.1', t2)])),
          // An RFC 6598 shared address (never a key).
          on('220', 'Facebook', ['Dalisay Manalo'], [seen('100.64.3.4', t)]),
          on('221', 'Instagram', ['Dalisay Manalo'], [seen('100.64.3.4', t2)]),
          // The same IP months apart.
          on('230', 'Facebook', ['Tala Ramirez'], [seen('49.145.40.1', t)]),
          on('231', 'Instagram', ['Tala Ramirez'], [seen('49.145.40.1', '2026-05-03T10:00:00Z')]),
          // A rare display name alone; an IP alone; two rare display names (one kind).
          on('240', 'Facebook', ['Amihan Soriano']),
          on('241', 'Instagram', ['Amihan Soriano']),
          on('250', 'Facebook', [], [seen('49.145.50.1', t)]),
          on('251', 'Instagram', [], [seen('49.145.50.1', t2)]),
          on('260', 'Facebook', ['Bituin Castro', 'Bb Castro']),
          on('261', 'Instagram', ['Bituin Castro', 'Bb Castro']),
        ]);
        await runLink(store);
        assert.deepEqual(await subjects(store), []);
        await runLink(store, { rebuild: true });
        assert.deepEqual(await subjects(store), []);
      } finally {
        await store.close();
      }
    });

    test('a value over the hub cap contributes nothing; incremental runs give what a rebuild gives', async () => {
      const store = await backend.open();
      try {
        const t = '2026-01-03T10:00:00Z';
        await putReports(store, [
          on('300', 'Facebook', ['Marikit Valdez'], [seen('49.145.60.1', t)]),
          // The IP of 310/311 will be on 21 reports.
          on('310', 'Facebook', ['Hiraya Lim'], [seen('49.145.70.1', t)]),
        ]);
        await runLink(store);
        await putReports(store, [
          on('301', 'Instagram', ['Marikit Valdez'], [seen('49.145.60.1', '2026-01-04T10:00:00Z')]),
          on('311', 'Instagram', ['Hiraya Lim'], [seen('49.145.70.1', t)]),
        ]);
        await runLink(store);
        assert.deepEqual(await subjects(store), [
          ['300', '301'],
          ['310', '311'],
        ]);
        // The name of 300/301 becomes common, the IP of 310/311 a hub: both links go, incrementally.
        await putReports(store, [
          ...['302', '303', '304', '305'].map((id) => on(id, 'TikTok', ['Marikit Valdez'])),
          ...Array.from({ length: 19 }, (_, i) => on(String(320 + i), 'TikTok', [], [seen('49.145.70.1', t)])),
        ]);
        await runLink(store);
        const incremental = await subjects(store);
        assert.deepEqual(incremental, []);
        await runLink(store, { rebuild: true });
        assert.deepEqual(await subjects(store), incremental);
      } finally {
        await store.close();
      }
    });
  });
}
