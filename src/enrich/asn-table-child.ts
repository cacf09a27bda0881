// Child process of readAsnTable (asn-table.ts): parses one ASN table and writes it to stdout as
// structured-clone bytes, so that the parent keeps only the finished columns.
import { serialize } from 'node:v8';
import { parseAsnFile, type AsnFamily } from './asn-table.ts';

const [family, file] = process.argv.slice(2);
if ((family !== 'ipv4' && family !== 'ipv6') || !file) {
  process.stderr.write('usage: asn-table-child ipv4|ipv6 FILE\n');
  process.exit(2);
}
process.stdout.write(serialize(parseAsnFile(family as AsnFamily, file)));
