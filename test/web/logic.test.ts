// Plain logic of the web app that needs no browser: the queue key map, the province table and the
// folding of per-code figures into the units the map draws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { actionForKey, moveCursor, QUEUE_KEYS } from '../../web/src/queue/keys.ts';
import { MAP_UNITS, PROVINCES } from '../../web/src/map/provinces.ts';
import { aggregateByUnit, rampColour, RAMP_COLOURS } from '../../web/src/map/aggregate.ts';
import { PROVINCES as SYNTH_PROVINCES } from '../../src/synth/data/provinces.ts';

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
    else assert.equal(w.mapUnit, s.code);
  }
  const units = new Set(MAP_UNITS.map((u) => u.id));
  assert.equal(units.size, 83);
  for (const p of PROVINCES) assert.ok(units.has(p.mapUnit), `${p.name} maps to a drawn unit`);
  for (const u of MAP_UNITS) {
    const [lon, lat] = u.centre;
    assert.ok(lon > 116 && lon < 127 && lat > 4.5 && lat < 21.5, `${u.name} centre inside the Philippines`);
  }
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
  assert.deepEqual(unknown.map((u) => u.provinceCode), ['9999999999']);
  assert.equal(units.reduce((n, u) => n + u.count, 0), 15);
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
  assert.equal(conditionText({ all: [{ feature: 'escalation', op: 'true' }, { any: [{ feature: 'age', op: '<', value: 18 }, { not: { feature: 'x', op: 'present' } }] }] }),
    '(escalation is true AND (age < 18 OR NOT x is present))');
  assert.equal(effectText({ add: 'harm', value: 60 }), '+60 harm');
  const doc = JSON.stringify(DEFAULT_RULESET);
  for (const shape of [DEFAULT_RULESET, { ruleset: DEFAULT_RULESET }, { live: { version: 3, doc } }, { current: doc, versions: [] }]) {
    assert.equal(rulesetOf(shape)?.rules.length, DEFAULT_RULESET.rules.length);
  }
  assert.equal(rulesetOf({ versions: [] }), undefined);
});
