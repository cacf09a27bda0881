import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { skipWithoutShared } from '../../test/support/shared.ts';
import { hasXmllint, validateWithXsd } from '../../test/support/xmllint.ts';
import { parseCsv } from './csv.ts';
import { ESPS } from './data/esps.ts';
import { generate, type GenerateResult } from './generate.ts';
import { defaultParams, INCIDENT_TYPES } from './params.ts';
import { TXN_COLUMNS } from './payments.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'bantay-synth-'));
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

function hashTree(r: GenerateResult, out: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of [...r.files, r.truthPath, r.transactionsPath]) m.set(relative(out, f), createHash('sha256').update(readFileSync(f)).digest('hex'));
  return m;
}

interface Entry {
  id: string;
  xml: string;
  file: string;
  bare: boolean;
}

/** Every report entry in the order written (re-sends come after their originals). */
function readEntries(files: string[]): Entry[] {
  const out: Entry[] = [];
  for (const file of files) {
    const text = readText(file);
    const bare = /^\d+\.xml(\.gz)?$/.exec(basename(file));
    if (bare) {
      assert.match(text, /^<\?xml[^>]*\?>\n<report>/, `${file} is a bare report`);
      out.push({ id: basename(file).replace(/\.xml(\.gz)?$/, ''), xml: text, file, bare: true });
      continue;
    }
    for (const m of text.matchAll(/<cybertipReport reportId="(\d+)"[\s\S]*?<\/cybertipReport>/g)) out.push({ id: m[1]!, xml: m[0], file, bare: false });
  }
  return out;
}

const DOMAIN_TO_ESP = new Map(Object.values(ESPS).map((e) => [e.reporterDomain, e.name] as const));

/** The ESP the way the reader derives it (model/report.ts deriveEsp): platform, then the first
 * reported person's espService, then the reporter's e-mail domain (mapped back to the ESP). */
function espOf(xml: string): string {
  const summary = /<incidentSummary>([\s\S]*?)<\/incidentSummary>/.exec(xml)?.[1] ?? '';
  const platform = /<platform>([^<]*)<\/platform>/.exec(summary)?.[1];
  if (platform) return platform;
  const first = /<personOrUserReported>([\s\S]*?)<\/personOrUserReported>/.exec(xml)?.[1] ?? '';
  const service = /<espService>([^<]*)<\/espService>/.exec(first.replace(/<associatedAccount[\s\S]*?<\/associatedAccount>/g, ''))?.[1];
  if (service) return service;
  const reporter = /<reporter>[\s\S]*?<email>[^@<]*@([^<]*)<\/email>/.exec(xml)?.[1];
  return (reporter && DOMAIN_TO_ESP.get(reporter.toLowerCase())) ?? 'unknown';
}

function normalise(xml: string): string {
  return xml.replace(/^[ \t]+/gm, '');
}

interface TruthJson {
  version: number;
  seed: number;
  options: { reports: number; days: number; transactions: number; start: string };
  reports: Record<string, { category: string; subject: string | null; urgent: boolean; noise: boolean; versions: number; duplicates: number }>;
  subjects: {
    id: string;
    kind: string;
    reports: string[];
    identifiers: { kind: string; canonical: string; written: string[] }[];
    payments: { receiverIds: string[]; senderIds: string[] };
  }[];
  urgent: string[];
  noise: string[];
  traps: { type: string; value: string; reports: string[] }[];
  payments: { offendingPayers: string[]; offendingReceivers: string[]; hardNegatives: string[]; sextortionPayers: string[] };
  counts: {
    reports: number;
    categories: Record<string, number>;
    esps: Record<string, number>;
    incidentTypes: Record<string, number>;
    referral: { referral: number; informational: number; bare: number };
    shapes: Record<'batch' | 'single' | 'bare', { files: number; entries: number }>;
    files: number;
    gzipFiles: number;
  };
}

test('same seed and options give byte-identical files; another seed differs', async () => {
  const a = tempDir();
  const b = tempDir();
  const c = tempDir();
  const opts = { reports: 1500, days: 10, transactions: 600 };
  const ra = await generate({ ...opts, seed: 7, out: a });
  const rb = await generate({ ...opts, seed: 7, out: b });
  const rc = await generate({ ...opts, seed: 8, out: c });
  const ha = hashTree(ra, a);
  assert.deepEqual(ha, hashTree(rb, b));
  assert.equal(ra.bytes, rb.bytes);
  const hc = hashTree(rc, c);
  assert.notEqual(ha.get('truth.json'), hc.get('truth.json'));
  assert.notEqual(ha.get('transactions.csv'), hc.get('transactions.csv'));
  assert.ok(
    [...ha].some(([k, v]) => hc.get(k) !== v),
    'report files differ between seeds',
  );
  // gzip output is deterministic too: mtime 0 and a pinned OS byte.
  const gz = ra.files.find((f) => f.endsWith('.gz'));
  assert.ok(gz, 'some files are gzip-compressed');
  const head = readFileSync(gz);
  assert.equal(head.readUInt32LE(4), 0, 'gzip mtime is 0');
  assert.equal(head[9], 3);
});

test(
  'every file of a small run validates against the bundle XSD',
  { skip: skipWithoutShared('XSD validation') || (!hasXmllint() && 'xmllint is not installed') },
  async () => {
    const out = tempDir();
    const r = await generate({ reports: 2000, seed: 11, out });
    const shapes = new Set(r.files.map((f) => (/\/\d+\.xml/.test(f) ? 'bare' : /single-/.test(f) ? 'single' : 'batch')));
    assert.deepEqual([...shapes].sort(), ['bare', 'batch', 'single']);
    assert.deepEqual(validateWithXsd(r.files), []);
  },
);

describe('a 20,000-report run', () => {
  let out = '';
  let r: GenerateResult;
  let truth: TruthJson;
  let entries: Entry[];
  const firsts = new Map<string, Entry>();
  const all = new Map<string, Entry[]>();
  const reports = 20000;

  before(async () => {
    out = tempDir();
    let progress = 0;
    r = await generate({ reports, seed: 2026, out, onProgress: (w) => (progress = w) });
    assert.equal(progress, reports);
    truth = JSON.parse(readFileSync(r.truthPath, 'utf8')) as TruthJson;
    entries = readEntries(r.files);
    for (const e of entries) {
      if (!firsts.has(e.id)) firsts.set(e.id, e);
      const list = all.get(e.id) ?? [];
      list.push(e);
      all.set(e.id, list);
    }
  });

  test('truth lists exactly the reports in the files, with their versions and duplicates', () => {
    assert.equal(truth.version, 1);
    assert.deepEqual(truth.options, { reports, days: 30, transactions: r.transactions, start: '2026-01-01' });
    assert.equal(Object.keys(truth.reports).length, reports);
    assert.equal(firsts.size, reports);
    for (const id of firsts.keys()) assert.ok(truth.reports[id], `report ${id} is in truth`);
    for (const id of Object.keys(truth.reports)) assert.match(id, /^\d{9}$/);
    let versions = 0;
    let duplicates = 0;
    for (const [id, list] of all) {
      const t = truth.reports[id]!;
      const distinct = new Set(list.map((e) => normalise(e.xml)));
      assert.equal(distinct.size, t.versions, `distinct contents of ${id}`);
      assert.equal(list.length, t.versions + t.duplicates, `sends of ${id}`);
      if (list.length > 1) assert.notEqual(list[0]!.file, list[1]!.file, 're-sent in a later file');
      versions += t.versions - 1;
      duplicates += t.duplicates;
    }
    assert.ok(versions > 0 && duplicates > 0, `some reports re-sent (${versions} versions, ${duplicates} duplicates)`);
    const c = truth.counts;
    assert.equal(c.files, r.files.length);
    assert.equal(c.shapes.bare.entries + c.shapes.single.entries + c.shapes.batch.entries, entries.length);
    assert.equal(c.gzipFiles, r.files.filter((f) => f.endsWith('.gz')).length);
    assert.equal(c.shapes.bare.files, entries.filter((e) => e.bare).length);
  });

  test('distributions are within tolerance of the configured values', () => {
    const n = reports;
    // Incident mix (domain.md §2.4): CSAM about 99.2%; plants add a little enticement and trafficking.
    const types = new Map<string, number>();
    for (const e of firsts.values()) {
      const t = /<incidentType>([^<]*)<\/incidentType>/.exec(e.xml)![1]!;
      assert.ok((INCIDENT_TYPES as readonly string[]).includes(t), t);
      types.set(t, (types.get(t) ?? 0) + 1);
    }
    assert.deepEqual(Object.fromEntries([...types].sort()), truth.counts.incidentTypes);
    const csam = (types.get(INCIDENT_TYPES[0]) ?? 0) / n;
    assert.ok(Math.abs(csam - 0.992) < 0.006, `CSAM share ${csam}`);
    const enticement = (types.get(INCIDENT_TYPES[1]) ?? 0) / n;
    assert.ok(enticement > 0.002 && enticement < 0.012, `enticement share ${enticement}`);

    // ESP mix (domain.md §2.3), derived as the reader does and cross-checked against truth.
    const esps = new Map<string, number>();
    for (const e of firsts.values()) esps.set(espOf(e.xml), (esps.get(espOf(e.xml)) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries([...esps].sort()), truth.counts.esps);
    const mixTotal = Object.values(defaultParams.esps.mix).reduce((a, b) => a + b, 0);
    for (const esp of ['Facebook', 'Instagram', 'Google', 'WhatsApp']) {
      const got = (esps.get(esp) ?? 0) / n;
      const want = defaultParams.esps.mix[esp]! / mixTotal;
      assert.ok(Math.abs(got - want) < 0.02, `${esp} share ${got} vs ${want}`);
    }

    // Informational share (domain.md §2.5), from the envelopes and from truth.
    const informational = [...firsts.values()].filter((e) => /^<cybertipReport [^>]*referral="false"/.test(e.xml)).length;
    assert.equal(informational, truth.counts.referral.informational);
    assert.ok(Math.abs(informational / n - 0.5) < 0.02, `informational ${informational / n}`);

    // Viral bundles (domain.md §2.6): 25–30% carry batchedReport.
    const batched = [...firsts.values()].filter((e) => e.xml.includes('<batchedReport reason="VIRAL_POTENTIAL_MEME"/>')).length;
    assert.equal(batched, truth.counts.categories['meme-batch']);
    assert.ok(batched / n >= 0.25 && batched / n <= 0.3, `batched ${batched / n}`);

    // A few meme hashes recirculate across thousands of reports from unrelated users.
    const md5 = new Map<string, number>();
    for (const e of firsts.values()) {
      if (!e.xml.includes('<batchedReport')) continue;
      for (const m of e.xml.matchAll(/<originalFileHash hashType="(?:MD5|md5)">([0-9a-f]{32})</g)) md5.set(m[1]!, (md5.get(m[1]!) ?? 0) + 1);
    }
    const top = Math.max(...md5.values());
    assert.ok(top > 500, `top meme hash in ${top} reports`);

    // File shapes and gzip (share of files).
    const gz = r.files.filter((f) => f.endsWith('.gz')).length / r.files.length;
    assert.ok(Math.abs(gz - defaultParams.output.gzipShare) < 0.03, `gzip share ${gz}`);
    const singles = truth.counts.shapes.single.entries / n;
    assert.ok(Math.abs(singles - defaultParams.output.singleShare) < 0.02, `single share ${singles}`);
    const bare = truth.counts.shapes.bare.entries / n;
    assert.ok(Math.abs(bare - defaultParams.output.bareShare) < 0.01, `bare share ${bare}`);

    // Port share per ESP (IPv4 events; IPv6 ones carry no port).
    for (const esp of ['Facebook', 'Instagram']) {
      let events = 0;
      let withPort = 0;
      for (const e of firsts.values()) {
        if (espOf(e.xml) !== esp) continue;
        for (const m of e.xml.matchAll(/<ipCaptureEvent>([\s\S]*?)<\/ipCaptureEvent>/g)) {
          if (m[1]!.includes(':') && /<ipAddress>[^<]*:[^<]*<\/ipAddress>/.test(m[1]!)) continue;
          events++;
          if (m[1]!.includes('<port>')) withPort++;
        }
      }
      const share = withPort / events;
      assert.ok(events > 1000 && Math.abs(share - defaultParams.esps.portShare[esp]!) < 0.04, `${esp} port share ${share} over ${events}`);
    }

    // No country on about 5% of enveloped reports (domain.md §7.5).
    const enveloped = [...firsts.values()].filter((e) => !e.bare);
    const noCountry = enveloped.filter((e) => !/^<cybertipReport [^>]*country="PH"/.test(e.xml)).length / enveloped.length;
    assert.ok(Math.abs(noCountry - 0.05) < 0.015, `no country ${noCountry}`);

    // Urgent reports are rare (domain.md §12.1: 0.1–0.5%).
    assert.ok(truth.urgent.length / n >= 0.001 && truth.urgent.length / n <= 0.005, `urgent ${truth.urgent.length / n}`);
  });

  test('planted identifiers, subjects, urgent, noise and traps are consistent with the files', () => {
    const raw = (id: string): string => (all.get(id) ?? []).map((e) => e.xml).join('\n');
    const kinds = new Set<string>();
    for (const s of truth.subjects) {
      kinds.add(s.kind);
      assert.ok(s.reports.length >= 1);
      const text = s.reports.map(raw).join('\n');
      for (const id of s.reports) {
        assert.ok(firsts.has(id), `${s.id} report ${id} exists`);
        assert.equal(truth.reports[id]!.subject, s.id);
      }
      for (const ident of s.identifiers) {
        assert.ok(ident.written.length >= 1);
        for (const w of ident.written) {
          const parts = ident.kind === 'ip-port-time' ? w.split('|') : [w];
          for (const part of parts) assert.ok(text.includes(part), `${s.id} ${ident.kind} ${ident.canonical}: "${part}" is written in its reports`);
        }
      }
    }
    assert.deepEqual([...kinds].sort(), ['facilitator', 'offender', 'sextortion-offender']);
    const subjectsWithCrossEspLinks = truth.subjects.filter((s) => new Set(s.reports.map((id) => espOf(firsts.get(id)!.xml))).size > 1);
    assert.ok(subjectsWithCrossEspLinks.length > 0, 'some subjects span several ESPs');
    const multiForm = truth.subjects.flatMap((s) => s.identifiers).filter((i) => i.kind === 'phone' && i.written.length > 1);
    assert.ok(multiForm.length > 0, 'a phone is written several ways');
    assert.ok(
      truth.subjects.some((s) => s.identifiers.some((i) => i.kind === 'ip-port-time')),
      'an IP+port+time link is planted',
    );

    // priorCTReports point back at earlier reports of the same subject.
    for (const e of firsts.values()) {
      for (const m of e.xml.matchAll(/<priorCTReports>(\d+)<\/priorCTReports>/g)) {
        const s = truth.reports[e.id]!.subject;
        assert.ok(s, `${e.id} cites a prior report only when planted`);
        assert.equal(truth.reports[m[1]!]!.subject, s);
        assert.ok(m[1]! < e.id);
      }
    }

    const urgent = Object.entries(truth.reports)
      .filter(([, t]) => t.urgent)
      .map(([id]) => id);
    assert.deepEqual(truth.urgent, urgent);
    const noise = Object.entries(truth.reports)
      .filter(([, t]) => t.noise)
      .map(([id]) => id);
    assert.deepEqual(truth.noise, noise);
    for (const id of truth.urgent) assert.ok(['imminent', 'sextortion', 'livestream', 'new-material'].includes(truth.reports[id]!.category));
    for (const id of truth.noise) assert.ok(['viral', 'meme-batch', 'informational'].includes(truth.reports[id]!.category));
    const imminent = truth.urgent.filter((id) => truth.reports[id]!.category === 'imminent');
    assert.ok(imminent.length > 0 && imminent.every((id) => firsts.get(id)!.xml.includes('<escalateToHighPriority>')));
    const sextortion = truth.urgent.filter((id) => truth.reports[id]!.category === 'sextortion');
    assert.ok(sextortion.some((id) => firsts.get(id)!.xml.includes('<sextortion>true</sextortion>')));
    const fresh = truth.urgent.filter((id) => truth.reports[id]!.category === 'new-material');
    assert.ok(fresh.length > 0 && fresh.every((id) => firsts.get(id)!.xml.includes('<infant>true</infant>') && firsts.get(id)!.xml.includes('A1')));

    const trapTypes = new Set(truth.traps.map((t) => t.type));
    assert.deepEqual([...trapTypes].sort(), ['cgnat-ip', 'empty-file-hash', 'hub-email', 'placeholder', 'public-dns-ip', 'vpn-ip']);
    for (const t of truth.traps) {
      assert.ok(t.reports.length >= 2);
      for (const id of t.reports) assert.ok(raw(id).includes(t.value), `${t.type} ${t.value} in ${id}`);
    }
    const cgnat = truth.traps.filter((t) => t.type === 'cgnat-ip' && !t.value.startsWith('100.'));
    assert.ok(Math.max(...cgnat.map((t) => t.reports.length)) >= 100, 'a CGNAT address is shared by hundreds of reports');
    assert.ok(
      truth.traps.some((t) => t.type === 'cgnat-ip' && t.value.startsWith('100.')),
      'RFC 6598 addresses leak',
    );
  });

  test('transactions.csv follows the spec and holds every payment party truth names', () => {
    const rows = parseCsv(readFileSync(r.transactionsPath, 'utf8'));
    assert.deepEqual(rows[0], [...TXN_COLUMNS]);
    const body = rows.slice(1);
    assert.equal(body.length, r.transactions);
    assert.equal(r.transactions, reports / 2);
    const col = (name: string): number => TXN_COLUMNS.indexOf(name as (typeof TXN_COLUMNS)[number]);
    const ids = new Set<string>();
    const senders = new Set<string>();
    const receivers = new Set<string>();
    for (const row of body) {
      assert.equal(row.length, TXN_COLUMNS.length);
      const key = `${row[col('provider')]}|${row[col('txn_id')]}`;
      assert.ok(!ids.has(key), `txn_id unique per provider: ${key}`);
      ids.add(key);
      assert.match(row[col('timestamp')]!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
      assert.ok(Number.isFinite(Number(row[col('amount')])));
      senders.add(row[col('sender_id')]!);
      receivers.add(row[col('receiver_id')]!);
    }
    const p = truth.payments;
    assert.ok(p.offendingPayers.length > 0 && p.offendingReceivers.length > 0 && p.hardNegatives.length > 0 && p.sextortionPayers.length > 0);
    for (const id of [...p.offendingPayers, ...p.hardNegatives, ...p.sextortionPayers]) assert.ok(senders.has(id), `sender ${id}`);
    for (const id of p.offendingReceivers) assert.ok(receivers.has(id), `receiver ${id}`);
    for (const s of truth.subjects) {
      for (const id of s.payments.senderIds) assert.ok(senders.has(id));
      for (const id of s.payments.receiverIds) assert.ok(receivers.has(id));
    }
    const facilitators = truth.subjects.filter((s) => s.kind === 'facilitator');
    assert.ok(
      facilitators.every((s) => s.payments.receiverIds.length > 0),
      'every facilitator is paid',
    );
    // A facilitator's e-wallet is her mobile: some payment row carries it as receiver_phone.
    const phones = new Set(body.map((row) => row[col('receiver_phone')]!.replace(/\D/g, '').replace(/^0/, '63').replace(/^9/, '639')));
    for (const s of facilitators) {
      const wallet = s.identifiers.find((i) => i.kind === 'wallet')!;
      assert.ok(phones.has(wallet.canonical.slice(1)), `${s.id} wallet ${wallet.canonical} in transactions`);
    }
  });
});
