// A queue view as CSV or JSON: the same filters, order and columns whether streamed by
// GET /api/exports/queue.* or built by the export-queue job for a large slice (then fetched from
// /api/jobs/:id/file); only what the viewer may see, audited.
import type { Store } from '../store/database.ts';
import { userById } from '../store/accounts.ts';
import { queueCsv, queueJson } from '../export/index.ts';
import { appendAudit } from './audit.ts';
import { checkQueueQuery, readQueue, readWholeQueue, type QueueQuery, type QueueViewer } from './queue.ts';
import { viewerOf } from './work.ts';
import { badInput } from '../model/error.ts';

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

/** A queue export being streamed: its text chunk by chunk, and the rows it will hold. */
export interface QueueExportStream {
  filename: string;
  contentType: string;
  rows: number;
  chunks: AsyncGenerator<string>;
}

/** Checks the filters, audits the export with its row count, and streams the rows the viewer may see. */
export async function streamQueueExport(
  store: Pick<Store, 'db'>,
  query: QueueQuery,
  format: 'csv' | 'json',
  viewer: QueueViewer,
  actor: { userId: number; username: string; ip: string },
  now: Date,
): Promise<QueueExportStream> {
  const q = await checkQueueQuery(store, query, viewer);
  const { total: matching } = await readQueue(store, { ...q, limit: 1, offset: 0 }, viewer, now);
  const rows = Math.max(0, Math.min(matching - (q.offset ?? 0), q.limit ?? Infinity));
  await appendAudit(store, { ...actor, action: 'export', targetKind: 'queue', detail: { format, query, rows } });
  const items = readWholeQueue(store, q, viewer, now);
  return {
    filename: `queue.${format}`,
    contentType: format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8',
    rows,
    chunks: format === 'csv' ? queueCsv(items) : queueJson(items),
  };
}

/** Builds a queue export for a user as one file (the job's way), audited like the streamed one. */
export async function queueExport(store: Pick<Store, 'db'>, p: QueueExportParams): Promise<QueueExportFile> {
  const user = await userById(store.db, p.userId);
  if (!user || user.disabled) throw badInput('NO_ACCOUNT', `no active account ${p.userId}`);
  const s = await streamQueueExport(
    store,
    p.query,
    p.format,
    await viewerOf(store, user),
    { userId: user.id, username: user.username, ip: p.ip },
    p.now ? new Date(p.now) : new Date(),
  );
  const parts: string[] = [];
  for await (const c of s.chunks) parts.push(c);
  return { filename: s.filename, contentType: s.contentType, bytes: Buffer.from(parts.join(''), 'utf8'), rows: s.rows };
}
