// readCybertip: the streaming reader for one file's CyberTip XML (batch, single report or bare
// <report>). It yields each report as soon as its end tag is read.

import type { ReaderLimits } from './limits.ts';
import { resolveLimits } from './limits.ts';
import { XmlDecoder } from './decode.ts';
import { CybertipScanner } from './scanner.ts';
import type { ReaderItem, SourceRef } from './types.ts';
import { isBantayError } from '../../model/error.ts';

/**
 * Reads CyberTip XML from `chunks` (bytes, decoded as UTF-8 unless a BOM or the XML declaration
 * says otherwise, or text) and yields each report or rejection in file order. Problems in the
 * XML never throw: they end as rejected items. Errors raised by `chunks` itself (an I/O or gzip
 * error, say) propagate after every report completed before them has been yielded.
 */
export async function* readCybertip(chunks: AsyncIterable<Buffer | string>, source: SourceRef, limits?: Partial<ReaderLimits>): AsyncGenerator<ReaderItem> {
  const decoder = new XmlDecoder();
  const scanner = new CybertipScanner(source, resolveLimits(limits), () => decoder.invalid);
  try {
    for await (const chunk of chunks) {
      scanner.write(typeof chunk === 'string' ? chunk : decoder.decode(chunk));
      yield* scanner.drain();
      // Leaving the loop early closes the input (a file stream is destroyed).
      if (scanner.done) return;
    }
    scanner.write(decoder.end());
  } catch (e) {
    if (!isBantayError(e, 'BAD_ENCODING')) throw e;
    yield { kind: 'rejected', position: null, reason: e.message };
    return;
  }
  scanner.end();
  yield* scanner.drain();
}
