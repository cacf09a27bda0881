// Where uploaded files land: each request gets a fresh folder `upload-<ms>-<hex>` under the upload
// directory, and each file in it is saved as `<index>-<safe name>`. The user's own name for a file is
// read back from that path for progress notes, job lists and quarantine entries, so that a server
// path never reaches the browser.
import { randomBytes } from 'node:crypto';
import { basename, join, relative } from 'node:path';

const SAVED = /^upload-\d+-[0-9a-f]+[\\/]\d+-/;

/** A fresh folder for one upload request, under the upload directory. */
export function newUploadFolder(uploadDir: string): string {
  return join(uploadDir, `upload-${Date.now()}-${randomBytes(6).toString('hex')}`);
}

/** The name the index-th file of an upload is saved under: only its base name, made safe, so the upload never chooses where it lands. */
export function uploadFileName(index: number, name: string): string {
  const safe =
    basename(name || 'upload')
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(-120) || 'upload';
  return `${index}-${safe}`;
}

/** The name a user gave an uploaded file (with `!entry` for a zip entry), or the base name of any other path. */
export function uploadedName(path: string, uploadDir: string): string {
  const rel = relative(uploadDir, path);
  return !rel.startsWith('..') && SAVED.test(rel) ? rel.replace(SAVED, '') : basename(path);
}
