// Bounds that keep a hostile or broken input from exhausting memory or time. Sizes are counted in
// characters of decoded text (one character is one byte for the ASCII markup that dominates XML).
// Plain values only: the parsing worker threads read them (src/config/defaults.ts holds no validator).
import { DEFAULTS } from '../../config/defaults.ts';
import { badInput } from '../../model/error.ts';

/** Bounds applied while reading CyberTip input. */
export interface ReaderLimits {
  /** Longest single text value (element text, attribute value, comment or CDATA section). */
  maxTextBytes: number;
  /** Largest single report (or other element inside a batch), from its start tag to its end tag. */
  maxReportBytes: number;
  /** Deepest element nesting, counting the root element as 1. */
  maxDepth: number;
  /** Most attributes on one element. */
  maxAttributes: number;
  /** Largest uncompressed size of one zip entry. */
  maxEntryBytes: number;
  /** Highest uncompressed/compressed ratio of a zip entry, checked for entries above ratioCheckAboveBytes. */
  maxCompressionRatio: number;
  /** Uncompressed size above which the compression ratio of a zip entry is checked. */
  ratioCheckAboveBytes: number;
  /** Most elements (XML) or values (LE JSON) in one report: a report past it is set aside unread. */
  maxElements: number;
  /** Most elements (XML) or values (LE JSON) in one file: reading stops there, what was read is kept. */
  maxFileElements: number;
  /** Most quarantine entries one file (or zip entry) records one by one; the rest are counted in one entry. */
  maxRejectsPerFile: number;
  /** Longest time spent reading one file (or zip entry), in seconds; reading stops there and what was read is kept. */
  maxFileSeconds: number;
}

/** The default bounds (the ingest.* settings' defaults; an agency changes them in its configuration). */
export const DEFAULT_READER_LIMITS: Readonly<ReaderLimits> = Object.freeze({ ...DEFAULTS.ingest });

/** The defaults overridden by whatever `limits` sets (undefined fields keep the default). */
export function resolveLimits(limits?: Partial<ReaderLimits>): ReaderLimits {
  const out: ReaderLimits = { ...DEFAULT_READER_LIMITS };
  if (limits) {
    for (const key of Object.keys(out) as (keyof ReaderLimits)[]) {
      const v = limits[key];
      if (v !== undefined) {
        if (!(v > 0)) throw badInput('BAD_OPTION', `reader limit ${key} must be a positive number, got ${String(v)}`);
        out[key] = v;
      }
    }
  }
  return out;
}
