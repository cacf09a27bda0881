// The adversarial world's identified series (domain.md §10, anchors.md Project VIC / ICSE): files
// whose victims are already identified. Severe-but-known decoys draw their files from here, and
// the run writes the list as a VICS 2.0 file that `bantay hashlist import` reads, as an agency
// would load its Project VIC or ICSE export.
import { writeFileSync } from 'node:fs';
import type { HashPool } from '../hashes.ts';

/** Writes the series pool as VICS 2.0 JSON (every record: hashes, category 1, victim identified, series). */
export function writeSeriesList(path: string, pool: HashPool, exportDate: string): void {
  const value = pool.files.map((f, i) => ({
    MediaID: i + 1,
    MD5: f.md5.toUpperCase(),
    SHA1: f.sha1.toUpperCase(),
    SHA256: f.sha256,
    ...(f.pdq ? { PDQ: f.pdq } : {}),
    Category: '1',
    VictimIdentified: true,
    Series: `SYN-SERIES-${String(1 + (i % 7)).padStart(3, '0')}`,
  }));
  const doc = {
    '@odata.context': 'http://github.com/VICSDATAMODEL/ProjectVic/DataModels/2.0.xml/CUSTOM/$metadata#Media',
    ExportDate: exportDate,
    CategoryProfile: 'US',
    value,
  };
  writeFileSync(path, `${JSON.stringify(doc, null, 1)}\n`);
}
