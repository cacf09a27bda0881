// The detector on generated count series (no reports needed): planted spikes are found within two
// days of their start, and streams without spikes stay quiet (at most one false alert per series
// per quarter). Series are Poisson-gamma (over-dispersed) with a weekday pattern, as report counts are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DAILY, episodes, exceedances, tailThreshold, upperTail, WEEKLY } from './detect.ts';
import { Rng } from '../synth/rng.ts';

// Monday-first weekday pattern: fewer reports at the weekend (ESP and NCMEC working days).
const WEEKDAY = [1.15, 1.1, 1.05, 1.05, 1.0, 0.8, 0.85];

function poisson(rng: Rng, mean: number): number {
  if (mean > 50) return Math.max(0, Math.round(mean + Math.sqrt(mean) * rng.normal()));
  const l = Math.exp(-mean);
  let k = 0;
  let p = rng.float();
  while (p > l) {
    k++;
    p *= rng.float();
  }
  return k;
}

// Gamma(shape k, scale mean/k) by Marsaglia–Tsang, for a Poisson-gamma (negative binomial) count.
function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * rng.float() ** (1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = rng.normal();
    const v = (1 + c * x) ** 3;
    if (v > 0 && Math.log(rng.float()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/** A daily series of `days` with mean `mean`, a weekday pattern and dispersion about `phi`; day 0 is a Monday. */
function series(rng: Rng, days: number, mean: number, phi: number, spike?: { start: number; days: number; factor: number }): number[] {
  const out: number[] = [];
  const shape = phi > 1 ? mean / (phi - 1) : Infinity;
  for (let i = 0; i < days; i++) {
    let m = mean * WEEKDAY[i % 7]!;
    if (spike && i >= spike.start && i < spike.start + spike.days) m *= spike.factor;
    if (Number.isFinite(shape)) m *= gamma(rng, shape) / shape;
    out.push(poisson(rng, m));
  }
  return out;
}

const weekdayOf = (i: number): number => i % 7;

test('the negative binomial tail agrees with the Poisson at dispersion 1 and widens with it', () => {
  // P(Y >= 3 | Poisson 1) = 1 - e^-1 (1 + 1 + 1/2)
  assert.ok(Math.abs(upperTail(3, 1, 1) - (1 - Math.exp(-1) * 2.5)) < 1e-12);
  assert.equal(upperTail(0, 5, 1), 1);
  assert.ok(upperTail(20, 10, 2) > upperTail(20, 10, 1));
  // Large means do not underflow.
  assert.ok(upperTail(2600, 2000, 1) < 1e-20);
  // The power approximation meets the exact sum near its switch.
  assert.ok(Math.abs(Math.log(upperTail(200, 149, 1)) - Math.log(upperTail(200, 151, 1))) < 1.2);
  assert.ok(Math.abs(upperTail(2000, 2000, 1) - 0.5) < 0.02);
  const t = tailThreshold(10, 1, 0.001);
  assert.ok(upperTail(t, 10, 1) < 0.001 && upperTail(t - 1, 10, 1) >= 0.001);
});

test('a quiet stream raises no more than one false alert per series per quarter', () => {
  const rng = new Rng(2101, 'quiet');
  const QUARTER = 91;
  let seriesCount = 0;
  let alerts = 0;
  let worst = 0;
  for (const [mean, phi] of [
    [0.1, 1],
    [0.5, 1],
    [2, 1.2],
    [8, 1.3],
    [40, 1.5],
    [400, 2],
  ] as const) {
    for (let s = 0; s < 12; s++) {
      const counts = series(rng, 4 * QUARTER + 70, mean, phi);
      const found = episodes(counts, exceedances(counts, DAILY, weekdayOf, 70));
      seriesCount++;
      alerts += found.length;
      for (let q = 0; q < 4; q++) {
        const inQ = found.filter((e) => e.firedAt >= 70 + q * QUARTER && e.firedAt < 70 + (q + 1) * QUARTER).length;
        worst = Math.max(worst, inQ);
      }
    }
  }
  assert.ok(worst <= 1, `at most one false alert in any series' quarter (worst ${worst})`);
  assert.ok(alerts / (seriesCount * 4) < 0.25, `false alerts per series-quarter ${(alerts / (seriesCount * 4)).toFixed(3)}`);
});

test('planted spikes are found within two days of their start', () => {
  const rng = new Rng(2102, 'spikes');
  // Means from a small municipality to a large ESP; the factor a spike must reach to be seen in two days grows as counts shrink.
  const cases: [number, number, number][] = [
    [0.3, 20, 1],
    [1, 10, 1.1],
    [5, 4, 1.2],
    [20, 2.5, 1.3],
    [200, 1.6, 1.5],
    [2000, 1.3, 1.3],
  ];
  for (const [mean, factor, phi] of cases) {
    for (let s = 0; s < 10; s++) {
      const start = 100 + rng.int(0, 60);
      const counts = series(rng, 200, mean, phi, { start, days: 4, factor });
      const found = episodes(counts, exceedances(counts, DAILY, weekdayOf, 70));
      const hit = found.find((e) => e.end >= start && e.start <= start + 3);
      assert.ok(hit, `mean ${mean} ×${factor} from day ${start}: not found`);
      assert.ok(hit.firedAt <= start + 2, `mean ${mean} ×${factor}: fired on day ${hit.firedAt - start} after the start (day 0 is the start)`);
      assert.ok(hit.observed > hit.expected, 'the size of the departure is reported');
    }
  }
});

test('weekly series: a doubled week is found, quiet weeks are not', () => {
  const rng = new Rng(2103, 'weekly');
  let quietAlerts = 0;
  for (let s = 0; s < 20; s++) {
    const daily = series(rng, 7 * 60, 10, 1.2);
    const weeks = Array.from({ length: 60 }, (_, w) => daily.slice(w * 7, w * 7 + 7).reduce((a, b) => a + b, 0));
    quietAlerts += episodes(weeks, exceedances(weeks, WEEKLY)).length;
    const spiked = [...weeks];
    spiked[45] = Math.round(spiked[45]! * 2.2);
    assert.ok(
      episodes(spiked, exceedances(spiked, WEEKLY)).some((e) => e.firedAt === 45),
      'the doubled week alarms',
    );
  }
  // 20 series × 60 weeks ≈ 13 quarters of weekly data each.
  assert.ok(quietAlerts <= 20 * 4, `quiet weekly alerts: ${quietAlerts}`);
});

test('a new series is not judged before it has a history, and a zero day never alarms', () => {
  const counts = [...new Array<number>(5).fill(0), 9, 9, 9];
  assert.equal(exceedances(counts, DAILY, weekdayOf).length, 0);
  const quietThenZero = [...new Array<number>(60).fill(1), 10, 0];
  const ex = exceedances(quietThenZero, DAILY, weekdayOf);
  assert.ok(ex.some((x) => x.at === 60));
  assert.ok(!ex.some((x) => x.at === 61));
});
