// Zip archives through yauzl, with the checks a hostile archive calls for: entry names that would
// escape their folder, symbolic links, encrypted entries, oversized entries and zip bombs.

import type { Readable } from 'node:stream';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { ReaderLimits } from './cybertip/limits.ts';
import { byName } from './input-files.ts';

/** A zip entry with its decoded name. */
export interface ZipEntry {
  name: string;
  entry: Entry;
}

/** Why an entry name would escape the folder it is unpacked into, or null when it is safe. */
export function unsafeEntryName(name: string): string | null {
  if (name.includes('\0')) return 'its name contains a NUL character';
  if (name.includes('\\')) return 'its name contains a backslash';
  if (name.startsWith('/')) return 'it is an absolute path';
  if (/^[A-Za-z]:/.test(name)) return 'it starts with a drive letter';
  if (name.split('/').includes('..')) return 'it has a ".." segment';
  return null;
}

// Names are decoded here rather than by yauzl (decodeStrings: false), because yauzl would stop
// the whole archive at the first bad name where only that entry should be set aside.
function decodeName(entry: Entry): string {
  return yauzl.getFileNameLowLevel(entry.generalPurposeBitFlag, entry.fileNameRaw, entry.extraFields, true);
}

/** Opens a zip archive and lists its entries sorted by name (metadata only; nothing is decompressed). */
export async function openZip(path: string): Promise<{ zip: ZipFile; entries: ZipEntry[] }> {
  const zip = await yauzl.openPromise(path, {
    lazyEntries: true,
    decodeStrings: false,
    autoClose: false,
    validateEntrySizes: true,
    strictFileNames: true,
  });
  const entries: ZipEntry[] = [];
  try {
    for await (const entry of zip.eachEntry()) entries.push({ name: decodeName(entry), entry });
  } catch (err) {
    zip.close();
    throw err;
  }
  entries.sort((a, b) => byName(a.name, b.name));
  return { zip, entries };
}

/** Why an entry must not be read (unsafe name, link, encryption, size or ratio), or null. */
export function entryRefusal(e: ZipEntry, limits: ReaderLimits): string | null {
  const byRawName = unsafeEntryName(e.entry.fileNameRaw.toString('latin1'));
  const why = unsafeEntryName(e.name) ?? byRawName;
  if (why) return `would escape its folder: ${why}`;
  const mode = (e.entry.externalFileAttributes >>> 16) & 0o170000;
  if (mode === 0o120000) return 'is a symbolic link';
  if (e.entry.isEncrypted()) return 'is encrypted';
  if (!e.entry.canDecodeFileData()) return `uses compression method ${e.entry.compressionMethod}, which cannot be read`;
  const size = e.entry.uncompressedSize;
  if (size > limits.maxEntryBytes) return `is ${size} bytes uncompressed, over the limit of ${limits.maxEntryBytes}`;
  const ratio = size / Math.max(e.entry.compressedSize, 1);
  if (size > limits.ratioCheckAboveBytes && ratio > limits.maxCompressionRatio) {
    return `expands ${Math.round(ratio)} times (${e.entry.compressedSize} to ${size} bytes), over the limit of ${limits.maxCompressionRatio}: a zip bomb`;
  }
  return null;
}

/** The decompressed bytes of an entry (yauzl checks they match the declared size). */
export function openEntry(zip: ZipFile, e: ZipEntry): Promise<Readable> {
  return zip.openReadStreamPromise(e.entry);
}
