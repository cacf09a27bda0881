import { summarize } from '../model/report.ts';
import { prepareVersion, type VersionInput } from '../store/reports.ts';
import { readSources, type Position, type SourceItem, type SourceRef } from './sources.ts';
import type { ReaderLimits } from './cybertip/limits.ts';

/** A source item with its report already summarised, serialised, hashed and compressed. */
export type PreparedItem = Exclude<SourceItem, { kind: 'report' }> | { kind: 'report'; source: SourceRef; position: Position; version: VersionInput };

/** A report's origin as stored with each version and quarantine entry. */
export function describeSource(source: SourceRef, line?: number | null): string {
  return `${source.path}${source.entry ? `!${source.entry}` : ''}${line ? `:${line}` : ''}`;
}

/** Turns a read report into what the store writes; other items pass through. */
export function prepareItem(item: SourceItem): PreparedItem {
  if (item.kind !== 'report') return item;
  const { report } = item;
  return {
    kind: 'report',
    source: item.source,
    position: item.position,
    version: prepareVersion({
      reportId: report.reportId,
      idSource: report.idSource,
      summary: summarize(report),
      doc: report,
      raw: item.raw,
      source: describeSource(item.source, item.position.line),
    }),
  };
}

/** Reads and prepares every item under the paths in this thread, in batches. */
export async function* preparedBatches(paths: string[], limits: Partial<ReaderLimits> | undefined, batchSize: number): AsyncGenerator<PreparedItem[]> {
  let batch: PreparedItem[] = [];
  for await (const item of readSources(paths, limits)) {
    batch.push(prepareItem(item));
    if (batch.length >= batchSize) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
