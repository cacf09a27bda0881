// Writes report files as the stream is generated: batches of up to a few hundred reports per file,
// single-report files, bare ISPWS reports, a share of them gzip-compressed. Large batches are
// compressed in the thread pool (bounded) while the next reports are built; content and names
// never depend on timing, so output stays byte-identical. The same stream can be written as LE
// JSON (the JSON law enforcement receives) instead of or beside the XML: same files, same
// compression, same order, one document per report (docs/lejson.md).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';
import type { SynthParams } from './params.ts';
import type { Rng } from './rng.ts';
import type { Shape, Truth } from './truth.ts';
import { XML_DECL } from './xml-writer.ts';
import { leJsonOf } from './lejson.ts';

/** Which formats a sink writes, and where the LE JSON goes when both are written. */
export type SinkFormat = { xml: true; lejson?: undefined } | { xml: boolean; lejson: { root: string } };

const gzipAsync = promisify(gzip);
const MAX_PENDING = 4;
const GZIP_OS_UNIX = 3;
const ASYNC_GZIP_BYTES = 256 * 1024;

interface OpenBatch {
  day: string;
  parts: Buffer[];
  /** LE JSON documents, one line each. */
  docs: string[];
  count: number;
  target: number;
}

/** The files of one run under `<out>/reports/<date>/`. */
export class ReportSink {
  readonly files: string[] = [];
  bytes = 0;
  private batch_: OpenBatch | undefined;
  private readonly seq = new Map<string, { batch: number; single: number }>();
  private readonly pending: Promise<void>[] = [];
  private batchFiles = 0;
  private failure: unknown;

  /** A sink writing under `root` (the run's `reports/` folder). */
  constructor(
    private readonly root: string,
    private readonly rng: Rng,
    private readonly o: SynthParams['output'],
    private readonly truth: Truth,
    private readonly format: SinkFormat = { xml: true },
  ) {}

  private counters(day: string): { batch: number; single: number } {
    let c = this.seq.get(day);
    if (!c) {
      c = { batch: 0, single: 0 };
      this.seq.set(day, c);
      if (this.format.xml) mkdirSync(join(this.root, day), { recursive: true });
      if (this.format.lejson) mkdirSync(join(this.format.lejson.root, day), { recursive: true });
    }
    return c;
  }

  /** Writes one report in a file of its own (`xml` is the whole file). */
  async single(xml: string, day: string): Promise<void> {
    const c = this.counters(day);
    c.single++;
    const name = join(day, `single-${String(c.single).padStart(4, '0')}`);
    // A single report is written pretty-printed, as a tool saving one tip would.
    await this.emit(name, xml, 'single', 1, () => `${JSON.stringify(JSON.parse(leJsonOf(xml, 'single.xml')), null, 2)}\n`, '.json');
  }

  /** Appends one `<cybertipReport>` entry to the open batch of `day`, starting a new file when full. */
  async batch(entry: string, day: string): Promise<void> {
    if (this.batch_ && (this.batch_.day !== day || this.batch_.count >= this.batch_.target)) await this.flushBatch();
    if (!this.batch_) {
      this.counters(day);
      this.batch_ = {
        day,
        parts: [Buffer.from(`${XML_DECL}<cybertipReports>\n`)],
        docs: [],
        count: 0,
        target: this.rng.int(this.o.batchMin, Math.max(this.o.batchMin, this.o.batchMax)),
      };
    }
    // Encoding each entry as it comes keeps strings small and short-lived (cheaper than one join).
    if (this.format.xml) this.batch_.parts.push(Buffer.from(entry, 'utf8'));
    if (this.format.lejson) this.batch_.docs.push(leJsonOf(entry, 'batch.xml'));
    this.batch_.count++;
  }

  /** Writes a bare ISPWS report as `<day>/<reportId>.xml`. */
  async bare(xml: string, day: string, reportId: string): Promise<void> {
    this.counters(day);
    await this.emit(join(day, reportId), xml, 'bare', 1, () => `${leJsonOf(xml, `${reportId}.xml`)}\n`, '.json');
  }

  /** Closes the open batch so that later entries go to a new file. */
  async flushBatch(): Promise<void> {
    const b = this.batch_;
    if (!b) return;
    this.batch_ = undefined;
    const c = this.counters(b.day);
    c.batch++;
    b.parts.push(Buffer.from('</cybertipReports>\n'));
    // Batches alternate (across days) between JSON Lines and an array of documents: both shapes the reader accepts.
    const lines = ++this.batchFiles % 2 === 1;
    const json = (): string => (lines ? `${b.docs.join('\n')}\n` : `[\n${b.docs.join(',\n')}\n]\n`);
    await this.emit(join(b.day, `batch-${String(c.batch).padStart(4, '0')}`), Buffer.concat(b.parts), 'batch', b.count, json, lines ? '.jsonl' : '.json');
  }

  /** Flushes and waits for every write. */
  async close(): Promise<void> {
    await this.flushBatch();
    await Promise.all(this.pending.splice(0));
    if (this.failure) throw this.failure;
  }

  private async emit(stem: string, content: string | Buffer, shape: Shape, entries: number, json: () => string, jsonExt: string): Promise<void> {
    if (this.failure) throw this.failure;
    const gz = this.rng.chance(this.o.gzipShare);
    this.truth.countFile(shape, entries, gz);
    if (this.format.xml) await this.write(join(this.root, `${stem}.xml${gz ? '.gz' : ''}`), content, gz);
    if (this.format.lejson) await this.write(join(this.format.lejson.root, `${stem}${jsonExt}${gz ? '.gz' : ''}`), json(), gz);
  }

  private async write(path: string, content: string | Buffer, gz: boolean): Promise<void> {
    this.files.push(path);
    const raw = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    // Synchronous writes of small files are several times faster than fs/promises here; only
    // compressing a large batch is worth handing to the thread pool.
    if (!gz || raw.length < ASYNC_GZIP_BYTES) {
      const buf = gz ? pinOs(gzipSync(raw, { level: this.o.gzipLevel })) : raw;
      writeFileSync(path, buf);
      this.bytes += buf.length;
      return;
    }
    const job = gzipAsync(raw, { level: this.o.gzipLevel }).then(
      (buf) => {
        writeFileSync(path, pinOs(buf));
        this.bytes += buf.length;
      },
      (e: unknown) => {
        this.failure ??= e;
      },
    );
    this.pending.push(job);
    while (this.pending.length > MAX_PENDING) await this.pending.shift();
  }
}

/** Node writes gzip mtime 0; pin the OS byte too so every platform gives the same bytes. */
function pinOs(buf: Buffer): Buffer {
  buf[9] = GZIP_OS_UNIX;
  return buf;
}
