// Writes report files as the stream is generated: batches of up to a few hundred reports per file,
// single-report files, bare ISPWS reports, a share of them gzip-compressed. Large batches are
// compressed in the thread pool (bounded) while the next reports are built; content and names
// never depend on timing, so output stays byte-identical.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzip, gzipSync } from 'node:zlib';
import type { SynthParams } from './params.ts';
import type { Rng } from './rng.ts';
import type { Shape, Truth } from './truth.ts';
import { XML_DECL } from './xml-writer.ts';

const gzipAsync = promisify(gzip);
const MAX_PENDING = 4;
const GZIP_OS_UNIX = 3;
const ASYNC_GZIP_BYTES = 256 * 1024;

interface OpenBatch {
  day: string;
  parts: Buffer[];
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
  private failure: unknown;

  /** A sink writing under `root` (the run's `reports/` folder). */
  constructor(private readonly root: string, private readonly rng: Rng, private readonly o: SynthParams['output'], private readonly truth: Truth) {}

  private counters(day: string): { batch: number; single: number } {
    let c = this.seq.get(day);
    if (!c) {
      c = { batch: 0, single: 0 };
      this.seq.set(day, c);
      mkdirSync(join(this.root, day), { recursive: true });
    }
    return c;
  }

  /** Writes one report in a file of its own (`xml` is the whole file). */
  async single(xml: string, day: string): Promise<void> {
    const c = this.counters(day);
    c.single++;
    await this.emit(join(day, `single-${String(c.single).padStart(4, '0')}.xml`), xml, 'single', 1);
  }

  /** Appends one `<cybertipReport>` entry to the open batch of `day`, starting a new file when full. */
  async batch(entry: string, day: string): Promise<void> {
    if (this.batch_ && (this.batch_.day !== day || this.batch_.count >= this.batch_.target)) await this.flushBatch();
    if (!this.batch_) {
      this.counters(day);
      this.batch_ = { day, parts: [Buffer.from(`${XML_DECL}<cybertipReports>\n`)], count: 0, target: this.rng.int(this.o.batchMin, Math.max(this.o.batchMin, this.o.batchMax)) };
    }
    // Encoding each entry as it comes keeps strings small and short-lived (cheaper than one join).
    this.batch_.parts.push(Buffer.from(entry, 'utf8'));
    this.batch_.count++;
  }

  /** Writes a bare ISPWS report as `<day>/<reportId>.xml`. */
  async bare(xml: string, day: string, reportId: string): Promise<void> {
    this.counters(day);
    await this.emit(join(day, `${reportId}.xml`), xml, 'bare', 1);
  }

  /** Closes the open batch so that later entries go to a new file. */
  async flushBatch(): Promise<void> {
    const b = this.batch_;
    if (!b) return;
    this.batch_ = undefined;
    const c = this.counters(b.day);
    c.batch++;
    b.parts.push(Buffer.from('</cybertipReports>\n'));
    await this.emit(join(b.day, `batch-${String(c.batch).padStart(4, '0')}.xml`), Buffer.concat(b.parts), 'batch', b.count);
  }

  /** Flushes and waits for every write. */
  async close(): Promise<void> {
    await this.flushBatch();
    await Promise.all(this.pending.splice(0));
    if (this.failure) throw this.failure;
  }

  private async emit(rel: string, content: string | Buffer, shape: Shape, entries: number): Promise<void> {
    if (this.failure) throw this.failure;
    const gz = this.rng.chance(this.o.gzipShare);
    const path = join(this.root, gz ? `${rel}.gz` : rel);
    this.files.push(path);
    this.truth.countFile(shape, entries, gz);
    const raw = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
    // Synchronous writes of small files are several times faster than fs/promises here; only
    // compressing a large batch is worth handing to the thread pool.
    if (!gz || raw.length < ASYNC_GZIP_BYTES) {
      const buf = gz ? pinOs(gzipSync(raw, { level: this.o.gzipLevel })) : raw;
      writeFileSync(path, buf);
      this.bytes += buf.length;
      return;
    }
    const job = gzipAsync(raw, { level: this.o.gzipLevel }).then((buf) => {
      writeFileSync(path, pinOs(buf));
      this.bytes += buf.length;
    }, (e: unknown) => {
      this.failure ??= e;
    });
    this.pending.push(job);
    while (this.pending.length > MAX_PENDING) await this.pending.shift();
  }
}

/** Node writes gzip mtime 0; pin the OS byte too so every platform gives the same bytes. */
function pinOs(buf: Buffer): Buffer {
  buf[9] = GZIP_OS_UNIX;
  return buf;
}
