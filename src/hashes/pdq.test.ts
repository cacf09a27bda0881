import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { PdqIndex, isPdqHex, parsePdq, pdqDistance, PDQ_THRESHOLD } from './pdq.ts';
import { sharedDir, skipWithoutShared } from '../../test/support/shared.ts';

const skip = skipWithoutShared('PDQ vectors');
interface Vectors {
  hex_parsing: { valid: { hash: string; hamming_norm: number }[]; invalid: { input: string }[] };
  distance_pairs: { a: string; b: string; distance: number; match_at_31: boolean }[];
  match_threshold_cases: { a: string; b: string; threshold: number; distance: number; expected_match: boolean }[];
  index_cases: { entries: { hash: string; system_id: number }[]; queries: { query: string; expected: { system_id: number; distance: number }[] }[] };
  radius_search_cases: { hashes: string[]; cases: { query: string; radius: number; expected_hashes: string[] }[] };
  index_update_cases: { first_set: string[]; second_set: string[] };
  near_duplicate_family: { hashes: { hash: string }[] };
  rotations_and_flips: { hashes: { hash: string; distance_to_original_derived: number }[] };
  needles_vs_haystack_derived: { match_count: number; matches: [number, number, number][] };
}
const dir = sharedDir();
const vectors = (): Vectors => JSON.parse(readFileSync(join(dir!, 'data', 'pdq', 'pdq-test-vectors.json'), 'utf8')) as Vectors;
const lines = (f: string): string[] =>
  readFileSync(join(dir!, 'data', 'pdq', f), 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
const ZERO = '0'.repeat(64);

test('PDQ hex parsing accepts 64 lowercase hex and refuses the rest', { skip }, () => {
  const v = vectors();
  for (const ok of v.hex_parsing.valid) {
    assert.ok(isPdqHex(ok.hash));
    assert.equal(pdqDistance(ok.hash, ZERO), ok.hamming_norm);
  }
  for (const bad of v.hex_parsing.invalid) assert.throws(() => parsePdq(bad.input), /not a PDQ hash/);
});

test('PDQ distances and threshold matches equal the shared vectors', { skip }, () => {
  const v = vectors();
  assert.ok(v.distance_pairs.length > 5);
  for (const p of v.distance_pairs) {
    assert.equal(pdqDistance(p.a, p.b), p.distance, `${p.a} vs ${p.b}`);
    assert.equal(pdqDistance(p.a, p.b) <= PDQ_THRESHOLD, p.match_at_31);
  }
  for (const c of v.match_threshold_cases) assert.equal(pdqDistance(c.a, c.b) <= c.threshold, c.expected_match);
  const fam = v.near_duplicate_family.hashes;
  for (const a of fam) for (const b of fam) assert.ok(pdqDistance(a.hash, b.hash) <= PDQ_THRESHOLD);
  const rot = v.rotations_and_flips.hashes;
  for (const r of rot) assert.equal(pdqDistance(rot[0]!.hash, r.hash), r.distance_to_original_derived);
});

test('the multi-index answers the upstream index, radius and update cases', { skip }, () => {
  const v = vectors();
  const idx = new PdqIndex<number>();
  for (const e of v.index_cases.entries) idx.add(e.hash, e.system_id);
  for (const q of v.index_cases.queries) {
    const got = idx.query(q.query, 31).map((h) => ({ system_id: h.item, distance: h.distance }));
    assert.deepEqual(got, q.expected, q.query);
  }
  const r = new PdqIndex<string>();
  for (const h of v.radius_search_cases.hashes) r.add(h, h);
  for (const c of v.radius_search_cases.cases) {
    assert.deepEqual(
      r
        .query(c.query, c.radius)
        .map((h) => h.item)
        .sort(),
      [...c.expected_hashes].sort(),
      `${c.query} r=${c.radius}`,
    );
  }
  const u = new PdqIndex<number>();
  v.index_update_cases.first_set.forEach((h, i) => u.add(h, i));
  assert.equal(u.query(v.index_update_cases.first_set[0]!).length, 1);
  assert.equal(u.query(v.index_update_cases.second_set[0]!).length, 0);
  v.index_update_cases.second_set.forEach((h, i) => u.add(h, 100 + i));
  assert.equal(u.query(v.index_update_cases.first_set[0]!).length, 1);
  assert.equal(u.query(v.index_update_cases.second_set[0]!).length, 1);
});

test('needles against the haystack: the index finds exactly the 250 brute-force matches', { skip }, () => {
  const v = vectors();
  const hay = lines('haystack.txt');
  const needles = lines('needles.txt');
  const idx = new PdqIndex<number>();
  hay.forEach((h, i) => idx.add(h, i + 1));
  const got: [number, number, number][] = [];
  needles.forEach((n, i) => {
    for (const h of idx.query(n, 32)) got.push([i + 1, h.item, h.distance]);
  });
  const key = (m: [number, number, number]): string => m.join(':');
  assert.equal(got.length, v.needles_vs_haystack_derived.match_count);
  assert.deepEqual(got.map(key).sort(), v.needles_vs_haystack_derived.matches.map(key).sort());
});

test('the index returns exactly what brute force returns, at several thresholds', () => {
  // Random hashes plus near copies (a few bits flipped) so that every threshold has hits.
  const base: string[] = [];
  for (let i = 0; i < 2000; i++) base.push(randomBytes(32).toString('hex'));
  const flip = (hex: string, bits: number): string => {
    const b = Buffer.from(hex, 'hex');
    for (let k = 0; k < bits; k++) {
      const p = (k * 37 + bits * 11) % 256;
      b[p >> 3]! ^= 1 << (p & 7);
    }
    return b.toString('hex');
  };
  const idx = new PdqIndex<number>();
  base.forEach((h, i) => idx.add(h, i));
  base.slice(0, 500).forEach((h, i) => idx.add(flip(h, 1 + (i % 60)), 10_000 + i));
  for (const t of [0, 15, 16, 31, 32, 47, 52, 63, 64, 90]) {
    for (const q of base.slice(0, 120)) {
      const a = idx
        .query(q, t)
        .map((h) => `${h.index}:${h.distance}`)
        .sort();
      const b = idx
        .scan(q, t)
        .map((h) => `${h.index}:${h.distance}`)
        .sort();
      assert.deepEqual(a, b, `threshold ${t}`);
    }
  }
});
