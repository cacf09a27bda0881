// A slice of the work queue as CSV or JSON (GET /api/exports/queue.*, and the export-queue job for
// large slices): the same filters and order as the queue, what the viewer may see, audited.
import type { Store } from '../store/database.ts';
import { userById } from '../store/accounts.ts';
import { appendAudit } from './audit.ts';
import { queuePageWithWork, type QueueItem, type QueueQuery } from './queue.ts';
import { viewerOf } from './work.ts';

/** What a queue export needs: the filters, the format and who asked (from where). */
export interface QueueExportParams {
  query: QueueQuery;
  format: 'csv' | 'json';
  userId: number;
  ip: string;
  /** The clock of the queue's ages; default now. */
  now?: string;
}

/** A queue export, ready to send. */
export interface QueueExportFile {
  filename: string;
  contentType: string;
  bytes: Uint8Array;
  rows: number;
}

const COLUMNS = ['reportId', 'tier', 'score', 'receivedAt', 'incidentType', 'esp', 'provinceCode', 'ageDays', 'assignee', 'status', 'viralBatch'] as const satisfies readonly (keyof QueueItem)[];

/** One CSV cell: quoted when needed, and never a spreadsheet formula. */
export function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);
  // A leading = + - @ would be a formula in a spreadsheet.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Builds a queue export for a user (what that user may see) and records it in the audit trail. */
export async function queueExport(store: Pick<Store, 'db'>, p: QueueExportParams): Promise<QueueExportFile> {
  const user = await userById(store.db, p.userId);
  if (!user || user.disabled) throw new Error(`no active account ${p.userId}`);
  const page = await queuePageWithWork(store, p.query, await viewerOf(store, user), p.now ? new Date(p.now) : new Date());
  await appendAudit(store, { userId: user.id, username: user.username, ip: p.ip, action: 'export', targetKind: 'queue', detail: { format: p.format, query: p.query, rows: page.items.length } });
  const text = p.format === 'json'
    ? JSON.stringify(page)
    : `${[COLUMNS.join(','), ...page.items.map((i) => COLUMNS.map((c) => csvCell(i[c])).join(','))].join('\r\n')}\r\n`;
  return {
    filename: `queue.${p.format}`,
    contentType: p.format === 'json' ? 'application/json; charset=utf-8' : 'text/csv; charset=utf-8',
    bytes: Buffer.from(text, 'utf8'),
    rows: page.items.length,
  };
}
