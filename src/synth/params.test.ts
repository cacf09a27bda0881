import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultParams, INCIDENT_TYPES, loadParams, mergeParams } from './params.ts';

test('defaults: incident mix uses the eight XSD strings and sums to one', () => {
  assert.deepEqual(Object.keys(defaultParams.incidentMix).sort(), [...INCIDENT_TYPES].sort());
  const sum = Object.values(defaultParams.incidentMix).reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-9);
});

test('loadParams accepts a valid partial and rejects unknown keys and wrong types readably', () => {
  const ok = loadParams({ informationalShare: 0.4, esps: { mix: { Kumu: 3 } }, plants: { offendersPer10k: 20 } });
  assert.equal(ok.informationalShare, 0.4);
  assert.throws(() => loadParams({ informationalShare: 0.4, colour: 'red' }), /colour: unknown key/);
  assert.throws(() => loadParams({ viral: { batchShare: 0.2, memeHashes: 3 } }), /viral\.memeHashes: unknown key \(expected one of: .*memeHashCount/);
  assert.throws(() => loadParams({ ip: { vpnShare: 'high' } }), /ip\.vpnShare: expected a number, got string/);
  assert.throws(() => loadParams({ urgentShare: 2 }), /urgentShare: a share must be between 0 and 1/);
  assert.throws(() => loadParams({ timeZoneMix: { '+8': 1 } }), /timeZoneMix\.\+8/);
  assert.throws(() => loadParams({ provinceWeights: { '9999999999': 1 } }), /not a PSGC province code/);
  assert.throws(() => loadParams([1, 2]), /params: expected an object, got an array/);
  assert.throws(() => loadParams({ incidentMix: { 'Child Porn': 1 } }), /unknown key/);
});

test('mergeParams overlays a partial without touching the defaults', () => {
  const p = mergeParams({ esps: { mix: { Facebook: 0 } }, output: { gzipShare: 0 } });
  assert.equal(p.esps.mix.Facebook, 0);
  assert.equal(p.esps.mix.Instagram, defaultParams.esps.mix.Instagram);
  assert.equal(p.output.gzipShare, 0);
  assert.equal(defaultParams.esps.mix.Facebook, 49.3);
  assert.equal(defaultParams.output.gzipShare, 0.2);
});
