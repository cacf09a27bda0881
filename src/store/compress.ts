import { gunzipSync, gzipSync } from 'node:zlib';

/** Gzips text for storage (raw XML is kept compressed). */
export function gzipText(text: string): Uint8Array {
  return gzipSync(Buffer.from(text, 'utf8'), { level: 6 });
}

/** Restores text stored with gzipText. */
export function gunzipText(bytes: Uint8Array): string {
  return gunzipSync(bytes).toString('utf8');
}
