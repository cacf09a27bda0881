import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';
import { skipWithoutShared } from '../../test/support/shared.ts';
import { hasXmllint, validateWithXsd } from '../../test/support/xmllint.ts';
import { parseVicsList } from '../hashes/lists.ts';
import { ESCALATION_BOILERPLATE, ESP_CONTACTS, PLACEHOLDER_KINDS, PRODUCT_NAMES } from './data/products.ts';
import { generate, type GenerateResult } from './generate.ts';
import { overlay } from './params.ts';
import { loadWorld, resolveWorld, type World } from './world.ts';
import { ADVERSARIAL_WORLD } from './worlds/adversarial.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'bantay-world-'));
  dirs.push(d);
  return d;
}
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function readText(path: string): string {
  const b = readFileSync(path);
  return path.endsWith('.gz') ? gunzipSync(b).toString('utf8') : b.toString('utf8');
}

function treeHash(r: GenerateResult, out: string): string {
  const h = createHash('sha256');
  for (const f of [...r.files, r.truthPath, r.transactionsPath, ...r.hashLists]) h.update(`${relative(out, f)}\n`).update(readFileSync(f));
  return h.digest('hex');
}

/** Every report's XML (first version first), by report number. */
function entries(files: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (id: string, xml: string): void => void (out.get(id) ?? out.set(id, []).get(id)!).push(xml);
  for (const file of files) {
    const text = readText(file);
    const bare = /^(\d+)\.xml(\.gz)?$/.exec(basename(file));
    if (bare) add(bare[1]!, text);
    else for (const m of text.matchAll(/<cybertipReport reportId="(\d+)"[\s\S]*?<\/cybertipReport>/g)) add(m[1]!, m[0]);
  }
  return out;
}

const unescape = (s: string): string =>
  s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');

interface TruthJson {
  world?: string;
  reports: Record<
    string,
    { category: string; subject: string | null; urgent: boolean; noise: boolean; scenario?: string; cluster?: string; labelNoise?: string[] }
  >;
  subjects: {
    id: string;
    kind: string;
    reports: string[];
    identifiers: { kind: string; canonical: string; written: string[]; hints?: Record<string, string[]> }[];
  }[];
  urgent: string[];
  noise: string[];
  traps: { type: string; value: string; reports: string[] }[];
}

test('a world file is validated like the standard parameters, readably', () => {
  assert.equal(loadWorld(JSON.parse(JSON.stringify(ADVERSARIAL_WORLD))).world.labels.urgentInformationalShare, 0.25);
  assert.throws(
    () => loadWorld({ name: 'x', world: { labels: { urgentInformationalShare: 2 } } }),
    /world\.labels\.urgentInformationalShare: a share must be between 0 and 1/,
  );
  assert.throws(() => loadWorld({ name: 'x', world: { traps: { colour: 1 } } }), /world\.traps\.colour: unknown key/);
  assert.throws(
    () => loadWorld({ name: 'x', world: { clocks: { conventionMix: { martian: 1 } } } }),
    /conventionMix\.martian: expected one of utc, offset, zoneless/,
  );
  assert.throws(() => loadWorld({ name: 'x', params: { viral: { memeHashes: 3 } } }), /params\.viral\.memeHashes: unknown key/);
  assert.throws(() => loadWorld({ world: {} }), /name: expected a non-empty string/);
  assert.throws(() => resolveWorld('martian'), /unknown world "martian": expected standard or adversarial/);
});

// The standard world must stay today's stream byte for byte. This hash was taken from the
// generator before worlds existed; if you change the standard stream on purpose, update it.
const STANDARD_600_SEED_5 = '14217bde667ce01c69e067d421996bb91e0edd347e36a5d810ac5cecd3835c08';

test('the standard world is unchanged: no world, "standard" and the recorded hash agree', async () => {
  const a = tempDir();
  const b = tempDir();
  const ra = await generate({ reports: 600, seed: 5, days: 10, out: a });
  const rb = await generate({ reports: 600, seed: 5, days: 10, out: b, world: 'standard' });
  assert.equal(treeHash(ra, a), treeHash(rb, b));
  assert.deepEqual(ra.hashLists, []);
  assert.equal(treeHash(ra, a), STANDARD_600_SEED_5);
  assert.doesNotMatch(readFileSync(ra.truthPath, 'utf8'), /"world"|"scenario"/);
});

test('the adversarial world is deterministic per seed', async () => {
  const [a, b, c] = [tempDir(), tempDir(), tempDir()];
  const ra = await generate({ reports: 1200, seed: 4, days: 10, out: a, world: 'adversarial' });
  const rb = await generate({ reports: 1200, seed: 4, days: 10, out: b, world: 'adversarial' });
  const rc = await generate({ reports: 1200, seed: 5, days: 10, out: c, world: 'adversarial' });
  assert.equal(treeHash(ra, a), treeHash(rb, b));
  assert.notEqual(treeHash(ra, a), treeHash(rc, c));
});

describe('an adversarial run', () => {
  const reports = 4000;
  // The shipped world with the rare urgent forms raised, so that their shares can be measured on a small run.
  const base = resolveWorld('adversarial');
  const world: World = {
    name: 'adversarial',
    params: overlay(base.params, { urgentShare: 0.008 }),
    world: overlay(base.world!, { urgent: { newMaterialQuietPer10k: 40, sextortionChatOnlyPer10k: 25 } }),
  };
  const w = world.world!;
  let r: GenerateResult;
  let truth: TruthJson;
  let xml: Map<string, string[]>;
  const first = (id: string): string => xml.get(id)![0]!;
  const all = (id: string): string => unescape((xml.get(id) ?? []).join('\n'));
  const of = (scenario: string): string[] =>
    Object.entries(truth.reports)
      .filter(([, t]) => t.scenario === scenario)
      .map(([id]) => id);

  before(async () => {
    r = await generate({ reports, seed: 17, out: tempDir(), world });
    truth = JSON.parse(readFileSync(r.truthPath, 'utf8')) as TruthJson;
    xml = entries(r.files);
  });

  test('every file validates against the bundle XSD', { skip: skipWithoutShared('XSD validation') || (!hasXmllint() && 'xmllint is not installed') }, () => {
    assert.deepEqual(validateWithXsd(r.files), []);
  });

  test('every planted kind appears at its configured rate', () => {
    const n = (per10k: number): number => Math.max(1, Math.round((per10k * reports) / 10000));
    const subjects = (scenario: string): number => new Set(of(scenario).map((id) => truth.reports[id]!.subject)).size;
    assert.equal(truth.world, 'adversarial');
    assert.equal(Object.keys(truth.reports).length, reports);
    assert.equal(of('decoy-known-severe').length, n(w.decoys.knownSeverePer10k));
    assert.equal(of('decoy-live-viral').length, n(w.decoys.liveOnViralPer10k));
    assert.equal(of('decoy-empty-escalation').length, n(w.decoys.emptyEscalationPer10k));
    assert.equal(of('new-material-quiet').length, n(w.urgent.newMaterialQuietPer10k));
    assert.equal(subjects('sextortion-chat-only'), n(w.urgent.sextortionChatOnlyPer10k));
    assert.equal(subjects('account-only'), n(w.subjects.accountOnlyPer10k));
    assert.equal(subjects('ip-port-time-only'), n(w.subjects.ipPortTimeOnlyPer10k));
    assert.equal(
      new Set(
        Object.values(truth.reports)
          .filter((t) => t.scenario?.startsWith('foreign-phone-'))
          .map((t) => t.subject),
      ).size,
      n(w.subjects.foreignPhonePer10k),
    );
    for (const kind of PLACEHOLDER_KINDS) assert.equal(of(`placeholder-${kind}`).length, Math.max(3, n(w.traps.placeholderPer10kPerKind)), kind);
    assert.ok(of('shared-mailbox').length >= n(w.traps.sharedMailboxPer10k));
    assert.equal(of('id-collision').length, 2 * n(w.traps.idCollisionPer10k));
    assert.equal(of('ip-port-decoy').length, 2 * n(w.traps.ipPortDecoyPer10k));
    const clusters = truth.subjects.filter((s) => s.kind === 'facilitator').length;
    assert.equal(of('livestream-sparse').length, clusters * w.urgent.livestreamSparsePerCluster);

    // Shares, within tolerance of the configured value.
    const ids = Object.keys(truth.reports);
    const near = (what: string, got: number, want: number, tol: number): void =>
      assert.ok(Math.abs(got - want) <= tol, `${what}: ${got.toFixed(3)} vs ${want}`);
    const enveloped = ids.filter((id) => first(id).startsWith('<cybertipReport'));
    near(
      'ESP contact block',
      ids.filter(
        (id) => /<reportingPerson>[\s\S]*?<email>/.test(first(id)) && Object.values(ESP_CONTACTS).some((c) => first(id).includes(`<email>${c.email}</email>`)),
      ).length / ids.length,
      w.traps.espContactShare,
      0.03,
    );
    near(
      'booleans as 1/0',
      enveloped.filter((id) => /^<cybertipReport [^>]*referral="[01]"/.test(first(id))).length / enveloped.length,
      w.surface.booleanDigitShare,
      0.03,
    );
    const informational = ids.filter((id) => truth.reports[id]!.category === 'informational' && !truth.reports[id]!.scenario);
    near(
      'noise marked referral',
      informational.filter((id) => truth.reports[id]!.labelNoise?.includes('referral')).length / informational.length,
      w.labels.noiseReferralShare,
      0.03,
    );
    near(
      'urgent marked informational',
      truth.urgent.filter((id) => truth.reports[id]!.labelNoise?.includes('informational')).length / truth.urgent.length,
      w.labels.urgentInformationalShare,
      0.12,
    );
    const canonical = new Set(Object.keys(PRODUCT_NAMES));
    const platforms = ids.map((id) => /<platform>([^<]*)<\/platform>/.exec(first(id))?.[1]).filter((p): p is string => p !== undefined);
    const variants = platforms.filter((p) => !canonical.has(unescape(p))).length / platforms.length;
    assert.ok(variants > 0.15 && variants < w.names.productVariantShare + 0.05, `product-name variants on ${(100 * variants).toFixed(1)}% of platforms`);
  });

  test('urgent reports in quiet forms carry their evidence and no loud label', () => {
    const seen = new Map<string, number>();
    for (const id of Object.keys(truth.reports)) for (const h of first(id).matchAll(/>([0-9a-f]{32})</g)) seen.set(h[1]!, (seen.get(h[1]!) ?? 0) + 1);
    for (const id of of('new-material-quiet')) {
      const x = first(id);
      assert.equal(truth.reports[id]!.category, 'new-material');
      assert.ok(truth.reports[id]!.urgent);
      assert.doesNotMatch(x, /<escalateToHighPriority>/);
      const age = Number(/<victim>[\s\S]*?<age>(\d+)<\/age>/.exec(x)?.[1] ?? 99);
      assert.ok(age < 12 || /<infant>true<\/infant>/.test(x) || /<industryClassification>A[12]</.test(x), `${id} shows a child under 12`);
      for (const h of x.matchAll(/<originalFileHash hashType="[^"]*">([0-9a-f]{32})</g))
        assert.equal(seen.get(h[1]!), 1, `${id}: its file is in no other report`);
    }
    for (const id of of('sextortion-chat-only')) {
      const x = first(id);
      assert.ok(truth.reports[id]!.urgent && truth.reports[id]!.cluster === truth.reports[id]!.subject);
      assert.doesNotMatch(x, /<sextortion>true<\/sextortion>|<escalateToHighPriority>/);
      assert.match(x, /<content>[\s\S]*im (only |just )?1\d/);
    }
    const facilitators = new Set(truth.subjects.filter((s) => s.kind === 'facilitator').map((s) => s.id));
    for (const id of of('livestream-sparse')) {
      const t = truth.reports[id]!;
      assert.ok(t.urgent && facilitators.has(t.subject!) && t.cluster === t.subject);
      const wallet = truth.subjects.find((s) => s.id === t.subject)!.identifiers.find((i) => i.kind === 'wallet')!;
      assert.ok(
        wallet.written.some((x) => all(id).includes(x)),
        `${id} names the facilitator's wallet`,
      );
    }
  });

  test('decoys look urgent by one label but are not', () => {
    const list = parseVicsList(readFileSync(r.hashLists[0]!, 'utf8'));
    const listed = new Set(list.entries.map((e) => e.value));
    assert.ok(list.entries.every((e) => e.series?.startsWith('SYN-SERIES-') && e.victimIdentified === true));
    for (const id of of('decoy-known-severe')) {
      const t = truth.reports[id]!;
      assert.ok(!t.urgent && !t.noise);
      const hashes = [...first(id).matchAll(/<originalFileHash hashType="[^"]*">([0-9a-fA-F]+)</g)].map((m) => m[1]!.toLowerCase());
      assert.ok(hashes.length > 0 && hashes.every((h) => listed.has(h)), `${id}: every file is on the identified-series list`);
      assert.match(first(id), /<industryClassification>A[12]</);
    }
    for (const id of of('decoy-live-viral')) {
      assert.ok(truth.reports[id]!.noise && !truth.reports[id]!.urgent);
      assert.match(first(id), /<liveStreaming>true<\/liveStreaming>/);
    }
    const boiler = new Set([...ESCALATION_BOILERPLATE, '1']);
    for (const id of of('decoy-empty-escalation')) {
      assert.ok(truth.reports[id]!.noise);
      const text = /<escalateToHighPriority>([^<]*)<\/escalateToHighPriority>/.exec(first(id))?.[1];
      assert.ok(text !== undefined && boiler.has(unescape(text)), `${id}: escalation "${text}" is empty or boilerplate`);
    }
    // Only urgent reports (and known series) show a child under 12.
    for (const [id, t] of Object.entries(truth.reports)) {
      if (t.urgent || t.scenario === 'decoy-known-severe') continue;
      for (const m of first(id).matchAll(/<(?:victim|intendedRecipient)>[\s\S]*?<\/(?:victim|intendedRecipient)>/g)) {
        const age = /<age>(\d+)<\/age>/.exec(m[0])?.[1];
        assert.ok(age === undefined || Number(age) >= 12, `${id} (${t.category}) names a child of ${age}`);
      }
    }
  });

  test('subjects: every identifier is written as truth says, foreign phones normalise, times survive the ESP clocks', () => {
    for (const s of truth.subjects) {
      const text = s.reports.map(all).join('\n');
      for (const i of s.identifiers) {
        for (const wr of i.written)
          for (const part of i.kind === 'ip-port-time' ? wr.split('|') : [wr]) assert.ok(text.includes(part), `${s.id} ${i.kind}: "${part}" is written`);
      }
    }
    const foreign = truth.subjects.filter((s) => s.reports.some((id) => truth.reports[id]!.scenario?.startsWith('foreign-phone-')));
    assert.ok(foreign.length > 0);
    for (const s of foreign) {
      const phone = s.identifiers.find((i) => i.kind === 'phone')!;
      const country = parsePhoneNumberFromString(phone.canonical)!.country as CountryCode;
      assert.ok(phone.written.length >= 2 && phone.hints, `${s.id}: national and international forms, with hints`);
      for (const wr of phone.written) {
        const parsed = parsePhoneNumberFromString(wr, country);
        assert.equal(parsed?.number, phone.canonical, `${wr} read in ${country} is ${phone.canonical}`);
        assert.ok(parsed?.isValid());
      }
    }
    const products = truth.subjects.filter((s) => s.reports.some((id) => truth.reports[id]!.scenario === 'account-only'));
    assert.ok(
      products.some((s) => new Set(s.reports.map((id) => /<espService>([^<]*)</.exec(first(id))?.[1] ?? /<platform>([^<]*)</.exec(first(id))?.[1])).size > 1),
      'one account is filed under several product names',
    );
    assert.ok(
      products.some((s) =>
        s.identifiers.some((i) =>
          i.written.some((x) => /^(https?:\/\/)?[a-z.]*(facebook|instagram|tiktok|x|twitter|t|snapchat|reddit|kumu)\.[a-z]+\//.test(x)),
        ),
      ),
      'a profile URL carries the id or handle',
    );
    let skewed = 0;
    for (const s of truth.subjects) {
      for (const i of s.identifiers.filter((x) => x.kind === 'ip-port-time')) {
        const at = Date.parse(i.canonical.split('|')[2]!);
        for (const wr of i.written) {
          const t = wr.split('|')[2]!;
          if (!/(Z|[+-]\d\d:\d\d)$/.test(t)) continue; // zoneless: ambiguous, never a subject's only link
          const diff = Math.abs(Date.parse(t) - at);
          assert.ok(diff <= 13_000, `${s.id}: ${t} is ${diff} ms from ${i.canonical}`);
          if (diff > 0) skewed++;
        }
      }
    }
    assert.ok(skewed > 0, 'some ESP clocks are off by seconds');
    assert.ok(
      [...xml.values()].some((x) => /<incidentDateTime>[^<]*\d\d:\d\d(\.\d+)?<\/incidentDateTime>/.test(x[0]!)),
      'some ESPs write local time without a zone',
    );
  });

  test('traps: every value is in each of its reports, shared by unrelated people', () => {
    const types = new Set(truth.traps.map((t) => t.type));
    for (const kind of PLACEHOLDER_KINDS) assert.ok(types.has(`placeholder-${kind}`), kind);
    for (const t of ['esp-contact', 'shared-mailbox', 'id-collision', 'handle-collision', 'ip-port-decoy']) assert.ok(types.has(t), t);
    for (const t of truth.traps) {
      for (const id of t.reports)
        for (const part of t.type === 'ip-port-decoy' ? t.value.split('|') : [t.value]) assert.ok(all(id).includes(part), `${t.type} ${t.value} in ${id}`);
      if (t.type.startsWith('placeholder-') || t.type === 'shared-mailbox' || t.type === 'id-collision') {
        assert.ok(new Set(t.reports.map((id) => truth.reports[id]!.subject ?? id)).size >= 2, `${t.type} ${t.value} is shared by different people`);
      }
    }
  });
});
