// What an LE JSON document can say that the XML envelope cannot, removed from a canonical report
// so that the XML of a report and its LE JSON (written by toLeJson) compare equal. docs/lejson.md
// lists these under "What cannot round-trip".
import type { CybertipReport } from '../../src/model/report.ts';

/** The report without the LE-only detail toLeJson adds to a report read from XML: the routed country's name, the geo look-up list of each IP look-up. */
export function withoutLeOnly<T extends Pick<CybertipReport, 'envelope'>>(r: T): T {
  const { countryName: _name, ...envelope } = r.envelope;
  return { ...r, envelope: { ...envelope, ipLookups: envelope.ipLookups.map(({ about: _about, ...l }) => l) } };
}
