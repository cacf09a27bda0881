// `bantay payments ingest FILE…`: streams each file, checks each record, converts its amount with
// the rate table in use, and stores new transactions in batches; rows already stored (same
// provider and txn_id) are counted, not duplicated, and bad rows are set aside with line and reason.

import { resolve } from 'node:path';
import type { Store } from '../../store/database.ts';
import { addRejects, insertTxns, replaceRates, storedRates, type RejectRow, type TxnRow } from '../../store/payments.ts';
import { defaultRateTable, type RateTable } from './rates.ts';
import { readTransactionRecords } from './read.ts';
import { toTxnRow } from './row.ts';

/** What one ingest did. */
export interface TxnIngestSummary {
  files: { path: string; records: number; loaded: number; alreadyStored: number; rejected: number }[];
  records: number;
  loaded: number;
  alreadyStored: number;
  rejected: number;
  rates: { asOf: string; source: string };
  ms: number;
}

/** The rate table in use: the stored one (the agency's), else the built-in one. */
export async function ratesInUse(store: Pick<Store, 'db'>): Promise<RateTable> {
  return (await storedRates(store.db)) ?? defaultRateTable();
}

/** Ingests transaction files (CSV or JSON Lines); `rates` replaces the stored rate table first. */
export async function ingestTransactionFiles(
  store: Pick<Store, 'db' | 'copy'>,
  paths: string[],
  opts: { rates?: RateTable; batchSize?: number; onProgress?: (records: number) => void } = {},
): Promise<TxnIngestSummary> {
  const t0 = Date.now();
  if (opts.rates) await replaceRates(store, opts.rates);
  const table = await ratesInUse(store);
  const batchSize = opts.batchSize ?? 5000;
  const summary: TxnIngestSummary = {
    files: [],
    records: 0,
    loaded: 0,
    alreadyStored: 0,
    rejected: 0,
    rates: { asOf: table.asOf, source: table.source },
    ms: 0,
  };
  for (const p of paths) {
    const path = resolve(p);
    const f = { path, records: 0, loaded: 0, alreadyStored: 0, rejected: 0 };
    let rows: TxnRow[] = [];
    let rejects: RejectRow[] = [];
    const flush = async (): Promise<void> => {
      const n = await insertTxns(store, rows);
      f.loaded += n;
      f.alreadyStored += rows.length - n;
      await addRejects(store.db, rejects);
      rows = [];
      rejects = [];
    };
    try {
      for await (const rec of readTransactionRecords(path)) {
        f.records++;
        if (rec.fields === undefined) {
          rejects.push({ source: path, line: rec.line, reason: rec.error, raw: rec.raw });
          f.rejected++;
        } else {
          const r = toTxnRow(rec.fields, table.rates, { file: path, line: rec.line });
          if ('reason' in r) {
            rejects.push({ source: path, line: rec.line, reason: r.reason, raw: JSON.stringify(rec.fields) });
            f.rejected++;
          } else rows.push(r.row);
        }
        if (rows.length >= batchSize || rejects.length >= batchSize) {
          await flush();
          opts.onProgress?.(summary.records + f.records);
        }
      }
    } catch (err) {
      // An unreadable file (missing, a folder) is set aside as line 0; the other files still load.
      rejects.push({ source: path, line: 0, reason: `cannot read the file: ${err instanceof Error ? err.message : String(err)}`, raw: '' });
      f.rejected++;
    }
    await flush();
    summary.files.push(f);
    summary.records += f.records;
    summary.loaded += f.loaded;
    summary.alreadyStored += f.alreadyStored;
    summary.rejected += f.rejected;
  }
  summary.ms = Date.now() - t0;
  return summary;
}
