// The bounded ordinal fit on hand-made labelled sets: indicators with planted weights, outcomes
// drawn from an ordinal logistic model of them. The fit must recover the signs and the order of
// the planted weights, stay inside its bounds, and never turn a protective weight negative.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fitOrdinal, type FitSample, type FitScore } from './fit.ts';

// A small seeded generator (mulberry32), so that every run draws the same set.
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Samples whose level follows P(level ≥ k) = σ(scale·score − θ_k) with the planted weights. */
function plant(weights: number[], n: number, seed: number, scale = 0.08, thresholds = [-1, 1.5, 4]): FitSample[] {
  const r = rng(seed);
  const out: FitSample[] = [];
  for (let i = 0; i < n; i++) {
    const x: [number, number][] = [];
    let s = 0;
    weights.forEach((w, j) => {
      if (r() < 0.3) {
        x.push([j, 1]);
        s += w;
      }
    });
    // One uniform draw against every cut: P(level ≥ k) = σ(scale·s − θ_k), thresholds increasing.
    const u = r();
    const level = thresholds.filter((t) => u < 1 / (1 + Math.exp(-(scale * s - t)))).length;
    out.push({ parts: [{ x, offset: 0 }], level });
  }
  return out;
}

const OPEN: FitScore[] = [{ weight: 1, min: -Infinity, max: Infinity }];
const order = (ws: number[]): number[] =>
  ws
    .map((w, j) => [w, j] as const)
    .sort((a, b) => a[0] - b[0])
    .map(([, j]) => j);

describe('bounded ordinal fit', () => {
  test('recovers the signs and the order of planted weights from a start that knows only their signs', () => {
    const planted = [60, 35, 15, 5, -8, -25];
    const samples = plant(planted, 6000, 7);
    const prior = planted.map((w) => (w > 0 ? 20 : -20));
    const fit = fitOrdinal({
      samples,
      levels: 4,
      scores: OPEN,
      prior,
      lower: planted.map((w) => (w > 0 ? 0 : -100)),
      upper: planted.map((w) => (w > 0 ? 100 : 0)),
      l2: 0.01,
    });
    assert.deepEqual(fit.weights.map(Math.sign), planted.map(Math.sign), fit.weights.join(', '));
    assert.deepEqual(order(fit.weights), order(planted), fit.weights.map((w) => w.toFixed(1)).join(', '));
    assert.ok(fit.scale > 0);
  });

  test('bounds hold: a protective weight whose data point the other way stops at its floor, never below zero', () => {
    // Weight 1 is protective in the ruleset (+20) but the planted data make it a demotion.
    const samples = plant([40, -30, 10], 4000, 11);
    const fit = fitOrdinal({ samples, levels: 4, scores: OPEN, prior: [20, 20, 20], lower: [10, 10, 10], upper: [40, 40, 40], l2: 0.01 });
    assert.equal(fit.weights[1], 10);
    assert.equal(fit.weights[0], 40);
    const unfloored = fitOrdinal({ samples, levels: 4, scores: OPEN, prior: [20, 20, 20], lower: [0, 0, 0], upper: [40, 40, 40], l2: 0.01 });
    assert.equal(unfloored.weights[1], 0);
    for (const w of unfloored.weights) assert.ok(w >= 0 && w <= 40);
  });

  test('a strong prior keeps the published weights; few outcomes barely move them', () => {
    const samples = plant([60, 5], 200, 3);
    const held = fitOrdinal({ samples, levels: 4, scores: OPEN, prior: [20, 20], lower: [0, 0], upper: [100, 100], l2: 1e6 });
    for (const w of held.weights) assert.ok(Math.abs(w - 20) < 0.5, held.weights.join(', '));
  });

  test('scores are clamped as the engine clamps them: a weight on a full score buys nothing and stays put', () => {
    // Harm is already full (offset 150, clamp 100) wherever rule 0 fires; the outcomes follow rule 0 all the same.
    const r = rng(9);
    const samples: FitSample[] = Array.from({ length: 2000 }, () => {
      const on = r() < 0.5;
      const level = r() < (on ? 0.8 : 0.2) ? 3 : 0;
      return {
        parts: [
          { x: on ? [[0, 1]] : [], offset: on ? 150 : 20 },
          { x: [[1, 1]], offset: 0 },
        ],
        level,
      };
    });
    const scores: FitScore[] = [
      { weight: 1, min: 0, max: 100 },
      { weight: 0.3, min: 0, max: 100 },
    ];
    const clamped = fitOrdinal({ samples, levels: 4, scores, prior: [20, 10], lower: [0, 0], upper: [40, 20], l2: 0.01 });
    assert.ok(Math.abs(clamped.weights[0]! - 20) < 1e-6, clamped.weights.join(', '));
    const open = fitOrdinal({
      samples,
      levels: 4,
      scores: [OPEN[0]!, { ...OPEN[0]!, weight: 0.3 }],
      prior: [20, 10],
      lower: [0, 0],
      upper: [40, 20],
      l2: 0.01,
    });
    assert.ok(open.weights[0]! > 20, open.weights.join(', '));
  });

  test('outcomes of one kind cannot order anything: the weights are kept', () => {
    const samples = plant([30, 10], 100, 5).map((s) => ({ ...s, level: 2 }));
    const fit = fitOrdinal({ samples, levels: 4, scores: OPEN, prior: [30, 10], lower: [0, 0], upper: [60, 20], l2: 1 });
    assert.deepEqual(fit.weights, [30, 10]);
    assert.equal(fit.scale, 0);
  });
});
