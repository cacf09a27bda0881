// Reading exports back: the entries of a ZIP (a referral package, or the parts of a DOCX or
// XLSX), the text of a DOCX, and the check of a package against its manifest, which a
// receiving agency can run too (`bantay export verify`).

import { createHash } from 'node:crypto';
import yauzl from 'yauzl';
import type { Manifest } from './package.ts';
import { badInput } from '../model/error.ts';

/** Every file entry of a ZIP held in memory, by name. */
export function readZip(bytes: Uint8Array): Promise<Map<string, Buffer>> {
  return new Promise((resolveZip, reject) => {
    yauzl.fromBuffer(Buffer.from(bytes), { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? badInput('BAD_FILE', 'not a ZIP file'));
      const out = new Map<string, Buffer>();
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName.endsWith('/')) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? badInput('BAD_FILE', `cannot read ${entry.fileName}`));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
          stream.on('error', reject);
        });
      });
      zip.on('end', () => resolveZip(out));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const XML_ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** The text of a DOCX (word/document.xml): one line per paragraph and per table row, cells separated by tabs. */
export async function docxText(bytes: Uint8Array): Promise<string> {
  const xml = (await readZip(bytes)).get('word/document.xml')?.toString('utf8');
  if (xml === undefined) throw badInput('BAD_FILE', 'not a DOCX file: no word/document.xml');
  return xml
    .replace(/<\/w:p>(?=<\/w:tc>)/g, '')
    .replace(/<\/w:tc>(?=<\/w:tr>)/g, '')
    .replace(/<\/w:tc>/g, '\t')
    .replace(/<\/w:tr>/g, '\n')
    .replace(/<\/w:p>/g, '\n')
    .replace(/<w:tab\/>/g, '\t')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => XML_ENTITIES[e]!)
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
}

/** What checking a package found. */
export interface PackageCheck {
  ok: boolean;
  manifest: Manifest | null;
  /** Readable problems: a file missing, altered, or not in the manifest. */
  problems: string[];
}

/** Checks every file of a package against the SHA-256 its manifest lists. */
export async function verifyPackage(bytes: Uint8Array): Promise<PackageCheck> {
  const entries = await readZip(bytes);
  const raw = entries.get('manifest.json');
  if (!raw) return { ok: false, manifest: null, problems: ['no manifest.json'] };
  const manifest = JSON.parse(raw.toString('utf8')) as Manifest;
  const problems: string[] = [];
  const listed = new Set<string>();
  for (const f of manifest.files) {
    listed.add(f.name);
    const b = entries.get(f.name);
    if (!b) problems.push(`${f.name}: listed in the manifest but missing`);
    else if (createHash('sha256').update(b).digest('hex') !== f.sha256) problems.push(`${f.name}: SHA-256 differs from the manifest (altered)`);
    else if (b.length !== f.bytes) problems.push(`${f.name}: size differs from the manifest`);
  }
  for (const name of entries.keys()) if (name !== 'manifest.json' && !listed.has(name)) problems.push(`${name}: not listed in the manifest`);
  return { ok: problems.length === 0, manifest, problems };
}
