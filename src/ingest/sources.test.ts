import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, test } from 'node:test';
import { deflateRawSync, gzipSync } from 'node:zlib';
import { repoRoot } from '../../test/support/shared.ts';
import type { ReaderLimits } from './cybertip/limits.ts';
import { measureInputs, readSources, type SourceItem } from './sources.ts';
import { unsafeEntryName } from './zip-entries.ts';

const fixtures = resolve(repoRoot, 'test', 'fixtures', 'cybertip');
const fixture = (name: string): string => resolve(fixtures, name);
const work = mkdtempSync(join(tmpdir(), 'bantay-sources-'));
after(() => rmSync(work, { recursive: true, force: true }));

async function collect(paths: string[], limits?: Partial<ReaderLimits>): Promise<SourceItem[]> {
  const out: SourceItem[] = [];
  for await (const item of readSources(paths, limits)) out.push(item);
  return out;
}

// A compact view of a run: one line per item.
function describe(items: SourceItem[]): string[] {
  return items.map((i) => {
    const where = `${i.source.name}${i.source.entry ? ` [${i.source.entry}]` : ''}`;
    switch (i.kind) {
      case 'report':
        return `report ${i.report.reportId} ${where}`;
      case 'rejected':
        return `rejected ${where}: ${i.reason}`;
      case 'skipped':
        return `skipped ${where}`;
      case 'transactions':
        return `transactions ${where}`;
      case 'file-start':
        return `start ${where}`;
      case 'file-end':
        return `end ${where}`;
    }
  });
}

// ---- a minimal zip writer (yazl is not a dependency): stored or deflated entries, CRC-32 by table ----

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

interface ZipSpec {
  name: string;
  data: Buffer;
  deflate?: boolean;
  /** Unix mode (e.g. 0o120777 for a symbolic link). */
  mode?: number;
}

function buildZip(entries: ZipSpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const body = e.deflate ? deflateRawSync(e.data) : e.data;
    const crc = crc32(e.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // names are UTF-8
    local.writeUInt16LE(e.deflate ? 8 : 0, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x5c21, 12); // 2026-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(e.data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(e.deflate ? 8 : 0, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x5c21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(e.data.length, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

// ---------------------------------------------------------------------------------------------

test('a folder is walked recursively in name order; files that are not CyberTip input are skipped, not rejected', async () => {
  const dir = join(work, 'inbox');
  mkdirSync(join(dir, 'b-sub', 'deeper'), { recursive: true });
  copyFileSync(fixture('kitchen-sink.xml'), join(dir, 'a-kitchen.xml'));
  copyFileSync(fixture('small-batch.xml.gz'), join(dir, 'b-sub', 'batch.xml.gz'));
  copyFileSync(fixture('123456789.xml'), join(dir, 'b-sub', 'deeper', '123456789.XML'));
  copyFileSync(fixture('reports.zip'), join(dir, 'c-archive.zip'));
  writeFileSync(join(dir, 'transactions.csv'), 'id,amount\n1,20\n');
  writeFileSync(join(dir, 'truth.json'), '{"subjects":[]}\n');
  writeFileSync(join(dir, 'README'), 'Synthetic inbox.\n');
  symlinkSync(fixture('single-report.xml'), join(dir, 'd-link.xml'));
  const items = await collect([dir]);
  assert.deepEqual(describe(items), [
    'skipped README',
    'start a-kitchen.xml',
    'report 200000001 a-kitchen.xml',
    'report 200000002 a-kitchen.xml',
    'report 200000003 a-kitchen.xml',
    'end a-kitchen.xml',
    'start batch.xml.gz',
    'report 200000201 batch.xml.gz',
    'report 200000202 batch.xml.gz',
    'end batch.xml.gz',
    'start 123456789.XML',
    'report 123456789 123456789.XML',
    'end 123456789.XML',
    'start c-archive.zip',
    'skipped README.txt [README.txt]',
    'report 123456789 123456789.xml [cybertip/123456789.xml]',
    'report 200000201 small-batch.xml.gz [cybertip/nested/small-batch.xml.gz]',
    'report 200000202 small-batch.xml.gz [cybertip/nested/small-batch.xml.gz]',
    'end c-archive.zip',
    'skipped d-link.xml',
    'skipped transactions.csv',
    'skipped truth.json',
  ]);
  const first = items.find((i) => i.kind === 'report');
  assert.ok(first?.kind === 'report');
  assert.deepEqual(first.source, { path: join(dir, 'a-kitchen.xml'), name: 'a-kitchen.xml' });
  const start = items.find((i) => i.kind === 'file-start' && i.source.name === 'batch.xml.gz');
  assert.ok(start?.kind === 'file-start');
  assert.equal(start.bytes, readFileSync(fixture('small-batch.xml.gz')).length, 'bytes is the compressed size on disk');
  const end = items.find((i) => i.kind === 'file-end' && i.source.name === 'batch.xml.gz');
  assert.ok(end?.kind === 'file-end');
  assert.equal(end.bytesRead, start.bytes);
  const skipped = items.find((i) => i.kind === 'skipped' && i.source.name === 'transactions.csv');
  assert.match((skipped as { reason: string }).reason, /^not CyberTip input/);
  // truth.json and transactions.csv are candidates by name (.json, .csv), counted in advance, and
  // skipped once their content shows they are neither LE JSON nor transactions.
  const candidates = ['truth.json', 'transactions.csv'].reduce((n, f) => n + readFileSync(join(dir, f)).length, 0);
  assert.equal(await measureInputs([dir]), candidates + items.filter((i) => i.kind === 'file-start').reduce((n, i) => n + (i as { bytes: number }).bytes, 0));
  assert.match(
    (skipped as { reason: string }).reason,
    /a CSV whose header \("id", "amount"\) lacks the transactions columns txn_id, timestamp, amount, currency/,
  );
  const truthSkip = items.find((i) => i.kind === 'skipped' && i.source.name === 'truth.json');
  assert.match((truthSkip as { reason: string }).reason, /^not CyberTip input: not LE JSON/);
});

test('the .zip fixture: entries sorted by name, nested .xml.gz read, a bare report named by its entry', async () => {
  const items = await collect([fixture('reports.zip')]);
  const reports = items.flatMap((i) => (i.kind === 'report' ? [i] : []));
  assert.deepEqual(
    reports.map((r) => [r.report.reportId, r.report.idSource, r.source.entry]),
    [
      ['123456789', 'filename', 'cybertip/123456789.xml'],
      ['200000201', 'envelope', 'cybertip/nested/small-batch.xml.gz'],
      ['200000202', 'envelope', 'cybertip/nested/small-batch.xml.gz'],
    ],
  );
  assert.equal(reports[0]?.source.path, fixture('reports.zip'));
  assert.equal(reports[0]?.raw.startsWith('<report>'), true);
});

test('a file named explicitly is sniffed when its extension is not .xml', async () => {
  copyFileSync(fixture('single-report.xml'), join(work, 'export.txt'));
  writeFileSync(join(work, 'notes.txt'), 'reportId,incidentType\n');
  const items = await collect([join(work, 'export.txt'), join(work, 'notes.txt')]);
  assert.deepEqual(describe(items), [
    'start export.txt',
    'report 200000100 export.txt',
    'end export.txt',
    'rejected notes.txt: not CyberTip input: the first character that is not a space is neither "<" (XML) nor "{" or "[" (LE JSON)',
  ]);
});

test('a path that does not exist is rejected, and the next path is still read', async () => {
  const items = await collect([join(work, 'no-such-dir', 'x.xml'), fixture('single-report.xml')]);
  assert.deepEqual(describe(items), [
    'rejected x.xml: no such file or folder',
    'start single-report.xml',
    'report 200000100 single-report.xml',
    'end single-report.xml',
  ]);
  assert.equal(items[0]?.kind === 'rejected' && items[0].position, null);
});

test('a truncated .gz yields the reports before the break, then names the file and how far it got', async () => {
  const one = readFileSync(fixture('small-batch.xml'), 'utf8');
  const report = one.slice(one.indexOf('<cybertipReport '), one.indexOf('</cybertipReport>') + 17);
  const xml = `<cybertipReports>\n${Array.from({ length: 400 }, (_, i) => report.replaceAll('200000201', String(300000000 + i)).replace('PhotoShare', `PhotoShare ${i * 7919}`)).join('\n')}\n</cybertipReports>\n`;
  const gz = gzipSync(Buffer.from(xml));
  const path = join(work, 'cut.xml.gz');
  writeFileSync(path, gz.subarray(0, Math.floor(gz.length / 2)));
  const items = await collect([path]);
  const reports = items.flatMap((i) => (i.kind === 'report' ? [i.report.reportId] : []));
  assert.ok(reports.length > 0 && reports.length < 400, `${reports.length} reports before the break`);
  assert.deepEqual(
    reports,
    Array.from({ length: reports.length }, (_, i) => String(300000000 + i)),
    'the first reports, in order',
  );
  const rejected = items.filter((i) => i.kind === 'rejected');
  assert.equal(rejected.length, 1);
  const reason = (rejected[0] as { reason: string }).reason;
  assert.match(
    reason,
    new RegExp(
      `^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: the gzip stream is truncated or corrupt: reading stopped after \\d+ of \\d+ bytes \\(\\d+ bytes of XML\\); reports completed before that point were kept`,
    ),
  );
  assert.equal(items.at(-1)?.kind, 'file-end');

  writeFileSync(join(work, 'garbage.gz'), Buffer.from('this is not gzip at all'));
  const garbage = await collect([join(work, 'garbage.gz')]);
  assert.deepEqual(
    garbage.map((i) => i.kind),
    ['file-start', 'rejected', 'file-end'],
  );
  assert.match((garbage[1] as { reason: string }).reason, /the gzip stream is truncated or corrupt/);
});

test('zip slip, absolute, drive-letter and backslash names and symbolic links are refused; the good entry loads', async () => {
  const good = readFileSync(fixture('small-batch.xml'));
  const zip = buildZip([
    { name: '../../evil.xml', data: good },
    { name: '/etc/abs.xml', data: good },
    { name: 'C:/win.xml', data: good },
    { name: 'dir\\..\\..\\back.xml', data: good },
    { name: 'good.xml', data: good, deflate: true },
    { name: 'link.xml', data: Buffer.from('/etc/passwd'), mode: 0o120777 },
    { name: 'notes/readme.md', data: Buffer.from('hello') },
  ]);
  const path = join(work, 'slip.zip');
  writeFileSync(path, zip);
  const items = await collect([path]);
  assert.deepEqual(describe(items), [
    'start slip.zip',
    'rejected evil.xml [../../evil.xml]: zip entry "../../evil.xml" would escape its folder: it has a ".." segment; not read',
    'rejected abs.xml [/etc/abs.xml]: zip entry "/etc/abs.xml" would escape its folder: it is an absolute path; not read',
    'rejected win.xml [C:/win.xml]: zip entry "C:/win.xml" would escape its folder: it starts with a drive letter; not read',
    'rejected dir\\..\\..\\back.xml [dir\\..\\..\\back.xml]: zip entry "dir\\\\..\\\\..\\\\back.xml" would escape its folder: its name contains a backslash; not read',
    'report 200000201 good.xml [good.xml]',
    'report 200000202 good.xml [good.xml]',
    'rejected link.xml [link.xml]: zip entry "link.xml" is a symbolic link; not read',
    'skipped readme.md [notes/readme.md]',
    'end slip.zip',
  ]);
  assert.ok(!JSON.stringify(items).includes('root:'), 'the link target is never read');
  assert.equal(unsafeEntryName('a/b/c.xml'), null);
  assert.equal(unsafeEntryName('a/..b/c.xml'), null);
});

test('zip bombs and oversized entries are refused by ratio and size; a corrupt archive is rejected whole', async () => {
  const bomb = Buffer.alloc(2 * 1024 * 1024, 0x20);
  const path = join(work, 'bomb.zip');
  writeFileSync(
    path,
    buildZip([
      { name: 'bomb.xml', data: bomb, deflate: true },
      { name: 'ok.xml', data: readFileSync(fixture('single-report.xml')), deflate: true },
    ]),
  );
  const items = await collect([path], { ratioCheckAboveBytes: 1024 * 1024 });
  assert.equal(items[1]?.kind, 'rejected');
  assert.match(
    (items[1] as { reason: string }).reason,
    /^zip entry "bomb.xml" expands \d+ times \(\d+ to 2097152 bytes\), over the limit of 200: a zip bomb; not read$/,
  );
  assert.deepEqual(
    items.slice(2).map((i) => i.kind),
    ['report', 'file-end'],
  );

  const big = await collect([path], { maxEntryBytes: 1024 * 1024 });
  assert.match((big[1] as { reason: string }).reason, /^zip entry "bomb.xml" is 2097152 bytes uncompressed, over the limit of 1048576; not read$/);

  writeFileSync(join(work, 'broken.zip'), Buffer.from('PK not really a zip archive'));
  const broken = await collect([join(work, 'broken.zip')]);
  assert.deepEqual(
    broken.map((i) => i.kind),
    ['file-start', 'rejected', 'file-end'],
  );
  assert.match((broken[1] as { reason: string }).reason, /^not a readable zip archive: /);
});

test('a corrupt entry inside a zip is rejected with its name; the other entries still load', async () => {
  const good = readFileSync(fixture('small-batch.xml'));
  const zip = buildZip([
    { name: 'a.xml.gz', data: gzipSync(good).subarray(0, 200) },
    { name: 'b.xml', data: good },
  ]);
  const path = join(work, 'corrupt-entry.zip');
  writeFileSync(path, zip);
  const items = await collect([path]);
  assert.deepEqual(
    items.map((i) => i.kind),
    ['file-start', 'rejected', 'report', 'report', 'file-end'],
  );
  assert.match((items[1] as { reason: string }).reason, /^zip entry "a\.xml\.gz": the gzip stream is truncated or corrupt: /);
});
