// The generator's LE JSON: each report is written as XML first (the stream's one source of
// truth), read back through the ingest XML reader into the canonical model, and written as LE
// JSON from there, so the two formats hold the same reports by construction of the mapping.
import { CybertipScanner } from '../ingest/cybertip/scanner.ts';
import { resolveLimits } from '../ingest/cybertip/limits.ts';
import { toLeJson } from '../ingest/lejson/write.ts';
import { internal } from '../model/error.ts';

const LIMITS = resolveLimits();

/** One report's XML (a `<cybertipReport>` envelope or a bare `<report>` named `name`) as one line of LE JSON. */
export function leJsonOf(xml: string, name: string): string {
  const scanner = new CybertipScanner({ path: name, name }, LIMITS);
  scanner.write(xml);
  scanner.end();
  const items = scanner.drain();
  const item = items[0];
  if (items.length !== 1 || item?.kind !== 'report') {
    throw internal(`the generator wrote XML its own reader does not load (${item?.kind === 'rejected' ? item.reason : `${items.length} items`})`);
  }
  return JSON.stringify(toLeJson(item.report));
}
