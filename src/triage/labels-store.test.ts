// Labels against evidence through the real stages: canonical reports stored, hashed against a
// real list (src/hashes), scored (the context's own reading of the hash evidence, src/store/triage.ts).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CybertipReport, FileDetails, Party } from '../model/report.ts';
import { importHashList } from '../hashes/import.ts';
import { updateHashes } from '../hashes/update.ts';
import { testBackends } from '../../test/support/stores.ts';
import { makeReport, putReports } from '../../test/fixtures/link/reports.ts';
import { reportScore } from './queue.ts';
import { scoreReports } from './rescore.ts';

const NOW = new Date('2026-01-06T00:00:00Z');
const md5 = (c: string): string => c.repeat(32);

function report(id: string, user: string, f: Partial<FileDetails>, hash: string, victimAge?: number): CybertipReport {
  const r = makeReport(id, { espIdentifier: user }, { envelope: { ipLookups: [], receivedAt: '2026-01-05T00:00:00Z', referral: true } });
  r.incident.incidentType = 'Child Pornography (possession, manufacture, and distribution)';
  r.files = [
    { fileId: 'f1', fileAnnotations: [], originalFileHashes: [{ hashType: 'MD5', value: hash }], deviceIds: [], details: [], additionalInfo: [], ...f },
  ];
  if (victimAge !== undefined) {
    const v: Party = {
      role: 'victim',
      person: { phones: [], emails: [], addresses: [], age: victimAge },
      displayNames: [],
      profileUrls: [],
      ipCaptureEvents: [],
      deviceIds: [],
      priorCTReports: [],
      associatedAccounts: [],
      additionalInfo: [],
    };
    r.victims = [v];
  }
  return r;
}

for (const backend of testBackends()) {
  describe(`labels against hash evidence on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test("a meme flag does not hide new material; recirculation and list matches come from Bantay's own count", async () => {
      const store = await backend.open();
      const dir = mkdtempSync(join(tmpdir(), 'bantay-labels-'));
      try {
        const list = join(dir, 'list.csv');
        writeFileSync(list, `hash,type,category\n${md5('c')},md5,1\n`);
        await importHashList(store, list, { name: 'known' });
        await putReports(store, [
          report('7101', 'u-meme', { potentialMeme: true }, md5('a'), 4), // flagged a meme by the ESP, first seen here, on no list
          ...['1', '2', '3', '4', '5'].map((k) => report(`720${k}`, `u-${k}`, {}, md5('b'))), // one file, five reports, five users
          report('7301', 'u-known', { fileAnnotations: ['infant'] }, md5('c'), 2), // severe, but listed
          report('7401', 'u-new', {}, md5('d'), 2),
        ]);
        await updateHashes(store);
        await scoreReports(store, { now: NOW });
        const reasons = async (id: string): Promise<Map<string, string>> => new Map((await reportScore(store, id))!.reasons.map((r) => [r.rule, r.effect]));

        const meme = await reasons('7101');
        assert.equal(meme.get('new-material-child'), 'harm +30');
        assert.equal(meme.get('esp-meme-flag'), 'outweighed (harm -15)');
        assert.ok(!meme.has('recirculating'));
        assert.ok(['IMMEDIATE', 'HIGH'].includes((await reportScore(store, '7101'))!.tier));

        const viral = await reasons('7203');
        assert.equal(viral.get('recirculating'), 'harm -25');
        assert.ok(!viral.has('baseline-csam') && !viral.has('new-material'));

        const known = await reasons('7301');
        assert.equal(known.get('known-material'), 'harm -10');
        assert.deepEqual(
          [...known.keys()].filter((k) => k.startsWith('new-material')),
          [],
        );
        assert.equal((await reasons('7401')).get('new-material-child'), 'harm +30');
        assert.ok((await reportScore(store, '7401'))!.score > (await reportScore(store, '7301'))!.score + 40);
      } finally {
        rmSync(dir, { recursive: true, force: true });
        await store.close();
      }
    });
  });
}
