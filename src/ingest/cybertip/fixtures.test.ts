// The XML fixtures are real: the valid ones validate against the bundle XSD, the kitchen sink
// holds every element and attribute NCMEC's schema defines, and the deliberately broken ones
// really are off-schema.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { test } from 'node:test';
import { repoRoot, sharedDir, skipWithoutShared } from '../../../test/support/shared.ts';
import { hasXmllint, validateWithXsd } from '../../../test/support/xmllint.ts';

const fixtures = resolve(repoRoot, 'test', 'fixtures', 'cybertip');
const fixture = (name: string): string => resolve(fixtures, name);

const VALID = ['kitchen-sink.xml', 'single-report.xml', '123456789.xml', 'bare-report.xml', 'small-batch.xml', 'small-batch.xml.gz'];
const OFF_SCHEMA = ['unknown-parts.xml', 'quarantine.xml'];

function skipValidation(): string | false {
  const noShared = skipWithoutShared('XSD validation');
  if (noShared) return noShared;
  return hasXmllint() ? false : 'XSD validation: xmllint is not installed (apt-get install libxml2-utils)';
}

test('the valid fixtures validate against the bundle XSD', { skip: skipValidation() }, () => {
  assert.deepEqual(validateWithXsd(VALID.map(fixture)), []);
});

test('the off-schema fixtures really are off-schema', { skip: skipValidation() }, () => {
  for (const name of OFF_SCHEMA) {
    assert.notDeepEqual(validateWithXsd([fixture(name)]), [], `${name} should not validate`);
  }
});

test('the kitchen sink holds every element and attribute of cyber_tipline.xsd', { skip: skipWithoutShared('schema coverage') }, () => {
  const shared = sharedDir();
  assert.ok(shared);
  const xsd = readFileSync(resolve(shared, 'data', 'ncmec', 'cyber_tipline.xsd'), 'utf8');
  // The response elements describe NCMEC's answers to an ESP, not reports.
  const reportPart = xsd.slice(0, xsd.indexOf('<xs:element name="reportResponse"'));
  const names = new Set([...reportPart.matchAll(/<xs:(?:element|attribute) name="([^"]+)"/g)].map((m) => m[1] ?? ''));
  assert.ok(names.size > 100, `${names.size} names in the schema`);
  const sink = readFileSync(fixture('kitchen-sink.xml'), 'utf8');
  const missing = [...names].filter((n) => !new RegExp(`<${n}[\\s/>]`).test(sink) && !new RegExp(`\\s${n}="`).test(sink));
  assert.deepEqual(missing, []);
});
