// The queue as a table for a spreadsheet: one row per report with the province by name and the
// reasons in words, written a chunk at a time so that an export of any size streams.
import { gazetteer } from '../enrich/places.ts';
import { csvLine, type Cell } from './tabular.ts';

/** The fields of a queue row the table shows (src/cases/queue.ts QueueItem). */
export interface QueueTableItem {
  reportId: string;
  tier: string | null;
  score: number | null;
  receivedAt: string | null;
  incidentType: string;
  esp: string | null;
  provinceCode: string | null;
  ageDays: number | null;
  preservationDeadline: string | null;
  assignee: string | null;
  status: string;
  viralBatch: string | null;
  deconflicted: { caseId: string } | null;
  reasons: { rule: string; effect: string; evidence: string; description: string }[];
}

/** Column names of the queue table. */
export const QUEUE_TABLE_HEADERS = [
  'Report',
  'Tier',
  'Score',
  'Received (UTC)',
  'Incident type',
  'ESP',
  'Province',
  'PSGC code',
  'Age (days)',
  'Preserve by (UTC)',
  'Assignee',
  'Status',
  'Case',
  'Viral batch',
  'Reasons',
  'Rules',
];

/** One report as the cells of the queue table. */
export function queueTableCells(i: QueueTableItem): Cell[] {
  const province = i.provinceCode ? (gazetteer().unit(i.provinceCode)?.name ?? null) : null;
  return [
    i.reportId,
    i.tier,
    i.score,
    i.receivedAt,
    i.incidentType,
    i.esp,
    province,
    i.provinceCode,
    i.ageDays,
    i.preservationDeadline,
    i.assignee,
    i.status,
    i.deconflicted?.caseId ?? null,
    i.viralBatch,
    i.reasons.map((r) => `${r.description || r.rule} (${r.effect}${r.evidence ? `: ${r.evidence}` : ''})`).join('; '),
    i.reasons.map((r) => r.rule).join(' '),
  ];
}

/** The queue as CSV text, chunk by chunk: a byte-order mark and the header first (Excel reads accents). */
export async function* queueCsv(chunks: AsyncIterable<QueueTableItem[]>): AsyncGenerator<string> {
  yield `\uFEFF${csvLine(QUEUE_TABLE_HEADERS)}\r\n`;
  for await (const items of chunks) if (items.length) yield `${items.map((i) => csvLine(queueTableCells(i))).join('\r\n')}\r\n`;
}

/** The queue as a JSON document `{ "items": [...] }`, chunk by chunk. */
export async function* queueJson(chunks: AsyncIterable<unknown[]>): AsyncGenerator<string> {
  yield '{"items":[';
  let first = true;
  for await (const items of chunks) {
    for (const i of items) {
      yield `${first ? '' : ','}${JSON.stringify(i)}`;
      first = false;
    }
  }
  yield ']}\n';
}
