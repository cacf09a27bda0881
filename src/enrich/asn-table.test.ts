// The ASN tables are parsed in a child process (asn-table.ts) and come back equal to a parse here.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRange, parseAsnFile, parseInChild } from './asn-table.ts';

test('a hand-made table read through the child: ranges, ASNs, quoted organisations and misses', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bantay-asn-'));
  try {
    const file = join(dir, 'asn.csv');
    writeFileSync(file, '16777216,16777471,13335,"Cloudflare, Inc."\n1884160000,1884162047,4775,"Globe Telecom (GMCR,INC)"\n3232235520,3232235775,0,\n');
    const t = parseInChild('ipv4', file);
    assert.ok(t, 'the child parsed the table');
    assert.equal(t.size, 3);
    assert.deepEqual([...t.asns.subarray(0, 3)], [13335, 4775, 0]);
    assert.equal(t.orgs[t.orgIndex[0]!], 'Cloudflare, Inc.');
    assert.equal(t.orgs[t.orgIndex[1]!], 'Globe Telecom (GMCR,INC)');
    assert.equal(findRange(t, 16777300), 0); // 1.0.0.84
    assert.equal(findRange(t, 1884161000), 1);
    assert.equal(findRange(t, 16777472), -1); // just past the first range
    assert.equal(findRange(t, 1), -1); // before every range
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the shipped IPv6 table through the child equals the same file parsed here', () => {
  const file = createRequire(import.meta.url).resolve('@ip-location-db/asn/asn-ipv6-num.csv');
  const child = parseInChild('ipv6', file);
  assert.ok(child, 'the child parsed the table');
  const here = parseAsnFile('ipv6', file);
  assert.ok(child.size > 10_000, `${child.size} rows`);
  assert.equal(child.size, here.size);
  for (let i = 0; i < child.size; i += 97) {
    assert.equal(child.starts[i], here.starts[i]);
    assert.equal(child.ends[i], here.ends[i]);
    assert.equal(child.asns[i], here.asns[i]);
    assert.equal(child.orgs[child.orgIndex[i]!], here.orgs[here.orgIndex[i]!]);
  }
});
