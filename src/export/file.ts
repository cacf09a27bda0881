// What every export function returns: enough for an API route to answer in one line and for
// the CLI to write a file.

/** One produced file. */
export interface ExportFile {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
}

/** MIME types of the formats Bantay writes. */
export const CONTENT_TYPES = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  zip: 'application/zip',
  json: 'application/json',
} as const;

/** A format Bantay can write. */
export type ExportFormat = keyof typeof CONTENT_TYPES;

/** A file name part safe on every file system (report ids, subject ids, agency names). */
export function safeName(text: string): string {
  return (
    text
      .replace(/[^A-Za-z0-9._-]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 80) || 'export'
  );
}

/** A Content-Disposition header value that downloads the file under its name (RFC 6266, ASCII and UTF-8 forms). */
export function contentDisposition(filename: string): string {
  const ascii = filename.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`;
}
