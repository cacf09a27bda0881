// The spike detector: flags the days (or weeks) on which a count series departs from its own
// baseline. The method follows the quasi-Poisson outbreak detectors of public-health surveillance
// (Farrington et al. 1996; Noufaily et al. 2013): the expected count comes from the series' own
// recent past, over-dispersion is estimated from that past, and an alarm is raised when the observed
// count lies beyond the upper tail of a negative binomial with that mean and variance. As in CDC's
// EARS C2 and C3 (Hutwagner et al. 2003) the baseline stops short of the day judged (a guard band,
// so that a rise in progress does not hide itself) and short windows are judged as well as single
// days, so that a rise spread over two or three days is caught early. Daily series adjust the
// expectation for the day of the week. docs/trends.md gives the sources and the figures.
// Pure functions: plain arrays in, alerts out.

/** Tunables of the detector (defaults in DAILY and WEEKLY). */
export interface DetectorConfig {
  /** Periods in the baseline. */
  baseline: number;
  /** Periods between the baseline and the period judged (EARS C2's lag). */
  guard: number;
  /** Periods of history a series needs (from its first non-zero count) before it is judged. */
  minHistory: number;
  /** Window lengths judged at each period (1 = the period alone; 2, 3 = it and the ones before). */
  windows: number[];
  /** Upper-tail probability below which a window is alarming (per window length). */
  alpha: number;
  /** Fewest reports in a window for an alarm (Farrington's rule against alarms on a handful). */
  minCount: number;
  /** Adjust daily expectations for the day of the week (7 factors, shrunk toward 1). */
  weekday: boolean;
  /** Pseudo-periods that shrink each weekday factor toward 1. */
  weekdayShrink: number;
}

/** Defaults for daily series: 8 weeks of baseline, a 2-day guard, windows of 1–3 days. */
export const DAILY: DetectorConfig = {
  baseline: 56,
  guard: 2,
  minHistory: 14,
  windows: [1, 2, 3],
  alpha: 0.00005,
  minCount: 3,
  weekday: true,
  weekdayShrink: 4,
};
/** Defaults for weekly series: 12 weeks of baseline, a 1-week guard, single weeks. */
export const WEEKLY: DetectorConfig = { baseline: 12, guard: 1, minHistory: 6, windows: [1, 2], alpha: 0.00005, minCount: 5, weekday: false, weekdayShrink: 0 };

/** One period judged alarming. */
export interface Exceedance {
  /** Index of the period judged (the last period of the window). */
  at: number;
  /** Window length that fired (the most alarming one). */
  window: number;
  observed: number;
  expected: number;
  /** Farrington's exceedance score: (observed − expected) / (threshold − expected); above 1 is an alarm. */
  score: number;
  /** Upper-tail probability of the observed count. */
  p: number;
  /** The smallest count that would have been alarming. */
  threshold: number;
  /** Over-dispersion estimated from the baseline (1 = Poisson). */
  dispersion: number;
}

/** An episode: consecutive alarming periods merged into one alert. */
export interface Episode {
  /** First period of the first window that fired. */
  start: number;
  /** The period on which the detector first fired. */
  firedAt: number;
  /** Last alarming period. */
  end: number;
  observed: number;
  expected: number;
  score: number;
  p: number;
  /** The worst period's exceedance. */
  peak: Exceedance;
}

/** log(sum(exp(a), exp(b))) without overflow. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log(Math.exp(a - m) + Math.exp(b - m));
}

/**
 * P(Y ≥ y) for Y negative binomial with mean `mean` and variance `dispersion · mean`
 * (Poisson when dispersion ≤ 1), by the pmf's recurrence in log space (no gamma function needed).
 */
export function upperTail(y: number, mean: number, dispersion: number): number {
  if (y <= 0) return 1;
  if (mean <= 0) return 0;
  if (mean > LARGE_MEAN) return powerTail(y, mean, dispersion);
  // Every term's log follows from the previous one: log p(k+1) = log p(k) + step(k).
  let logP: number;
  let step: (k: number) => number;
  if (dispersion <= 1.000001) {
    logP = -mean;
    step = (k) => Math.log(mean / (k + 1));
  } else {
    const r = mean / (dispersion - 1);
    const q = mean / (r + mean);
    logP = r * Math.log(r / (r + mean));
    step = (k) => Math.log(((k + r) / (k + 1)) * q);
  }
  let logLower = logP;
  for (let k = 0; k < y - 1; k++) {
    logP += step(k);
    logLower = logAdd(logLower, logP);
  }
  // A small tail is summed upward rather than taken as 1 − CDF, which would lose it to rounding.
  if (logLower < Math.log(0.5)) return 1 - Math.exp(logLower);
  logP += step(y - 1);
  let logUpper = logP;
  for (let k = y; k < y + 100_000; k++) {
    logP += step(k);
    logUpper = logAdd(logUpper, logP);
    if (logP < logUpper - 40) break;
  }
  return Math.max(0, Math.min(1, Math.exp(logUpper)));
}

// Above this mean the tail comes from the 2/3-power normal approximation Farrington et al. use
// (the sum of the pmf would cost a step per count).
const LARGE_MEAN = 150;

/** Complementary error function (Numerical Recipes' erfcc, relative error below 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** P(Y ≥ y) from the 2/3-power transform: Y^(2/3) is near normal with sd (2/3)·√φ·μ^(1/6). */
function powerTail(y: number, mean: number, dispersion: number): number {
  const z = ((y - 0.5) ** (2 / 3) - mean ** (2 / 3)) / ((2 / 3) * Math.sqrt(Math.max(1, dispersion)) * mean ** (1 / 6));
  return 0.5 * erfc(z / Math.SQRT2);
}

/** The smallest y with P(Y ≥ y) < alpha. */
export function tailThreshold(mean: number, dispersion: number, alpha: number): number {
  // Start near the normal approximation and walk; the walk is short.
  let y = Math.max(1, Math.floor(mean + 3 * Math.sqrt(Math.max(dispersion, 1) * Math.max(mean, 0.1))));
  // Bisection: the tail falls as y grows.
  let lo = 1;
  let hi = Math.max(2, y);
  while (upperTail(hi, mean, dispersion) >= alpha) hi *= 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (upperTail(mid, mean, dispersion) < alpha) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Index of the first non-zero count, or -1. */
function firstNonZero(counts: readonly number[]): number {
  for (let i = 0; i < counts.length; i++) if (counts[i]! > 0) return i;
  return -1;
}

/**
 * Expected counts of periods `at-w+1 … at` from the baseline before the guard band, with the
 * baseline's over-dispersion. `weekdayOf(i)` gives 0–6 for daily series.
 */
export function expectation(
  counts: readonly number[],
  at: number,
  window: number,
  cfg: DetectorConfig,
  weekdayOf: (i: number) => number,
  skip?: ReadonlySet<number>,
): { expected: number; dispersion: number; days: number } | null {
  const end = at - window + 1 - cfg.guard; // exclusive
  const begin = Math.max(0, end - cfg.baseline);
  const idx: number[] = [];
  for (let i = begin; i < end; i++) if (!skip?.has(i)) idx.push(i);
  if (idx.length < Math.min(cfg.baseline, cfg.minHistory)) return null;
  let total = 0;
  for (const i of idx) total += counts[i]!;
  const n = idx.length;
  // The rule of one: with nothing in n periods, expect less than one in n (never zero, or any count would alarm by division).
  const mean = Math.max(total / n, 1 / (n + 1));
  const factor = new Array<number>(7).fill(1);
  if (cfg.weekday && total > 0) {
    const sum = new Array<number>(7).fill(0);
    const days = new Array<number>(7).fill(0);
    for (const i of idx) {
      const d = weekdayOf(i);
      sum[d]! += counts[i]!;
      days[d]!++;
    }
    // A weekday's factor is its own rate shrunk toward the overall rate by `weekdayShrink` pseudo-days.
    for (let d = 0; d < 7; d++) factor[d] = (sum[d]! + cfg.weekdayShrink * mean) / ((days[d]! + cfg.weekdayShrink) * mean);
  }
  const mu = (i: number): number => mean * (cfg.weekday ? factor[weekdayOf(i)]! : 1);
  let chi = 0;
  for (const i of idx) {
    const m = mu(i);
    chi += (counts[i]! - m) ** 2 / m;
  }
  const dispersion = n > 1 ? Math.max(1, chi / (n - 1)) : 1;
  let expected = 0;
  for (let i = at - window + 1; i <= at; i++) expected += mu(i);
  // The mean is itself estimated from n periods: its variance (φμ·w/n for a w-period window) widens
  // the prediction interval as in Farrington's threshold.
  return { expected, dispersion: dispersion * (1 + window / n), days: n };
}

/**
 * Judges every period from `from` (default: the first judgeable) to the end of `counts`. Periods
 * already alarming are left out of later baselines (as Noufaily et al. down-weight past outbreaks),
 * so that a long rise keeps being seen as one.
 */
export function exceedances(counts: readonly number[], cfg: DetectorConfig, weekdayOf: (i: number) => number = () => 0, from = 0): Exceedance[] {
  const first = firstNonZero(counts);
  if (first < 0) return [];
  const out: Exceedance[] = [];
  const alarming = new Set<number>();
  const startAt = Math.max(from, first + cfg.minHistory);
  for (let at = startAt; at < counts.length; at++) {
    let best: Exceedance | null = null;
    for (const w of cfg.windows) {
      if (at - w + 1 < 0) continue;
      let observed = 0;
      for (let i = at - w + 1; i <= at; i++) observed += counts[i]!;
      // A window fires only through its last period: yesterday's alarm is not today's.
      if (observed < cfg.minCount || counts[at]! === 0) continue;
      const e = expectation(counts, at, w, cfg, weekdayOf, alarming);
      if (!e || observed <= e.expected) continue;
      const p = upperTail(observed, e.expected, e.dispersion);
      if (p >= cfg.alpha) continue;
      const threshold = tailThreshold(e.expected, e.dispersion, cfg.alpha);
      const score = (observed - e.expected) / Math.max(1e-9, threshold - e.expected);
      if (!best || p < best.p) best = { at, window: w, observed, expected: e.expected, score, p, threshold, dispersion: e.dispersion };
    }
    if (best) {
      out.push(best);
      alarming.add(at);
    }
  }
  return out;
}

/** Merges exceedances into episodes: alarming periods at most `gap` apart are one episode. */
export function episodes(counts: readonly number[], found: readonly Exceedance[], gap = 1): Episode[] {
  const out: Episode[] = [];
  let cur: Episode | null = null;
  for (const x of found) {
    const start = x.at - x.window + 1;
    if (cur && start <= cur.end + gap) {
      cur.end = x.at;
      if (x.p < cur.p) {
        cur.p = x.p;
        cur.peak = x;
      }
      cur.score = Math.max(cur.score, x.score);
      continue;
    }
    if (cur) out.push(cur);
    cur = { start, firedAt: x.at, end: x.at, observed: 0, expected: 0, score: x.score, p: x.p, peak: x };
  }
  if (cur) out.push(cur);
  // Observed and expected over the whole episode: what an analyst compares.
  for (const e of out) {
    let obs = 0;
    for (let i = e.start; i <= e.end; i++) obs += counts[i]!;
    e.observed = obs;
    const per = found.filter((x) => x.at >= e.start && x.at <= e.end);
    // Expected per period from each firing window, spread evenly; periods not judged take the peak's rate.
    const rate = e.peak.expected / e.peak.window;
    let exp = 0;
    for (let i = e.start; i <= e.end; i++) {
      const hit = per.find((x) => i > x.at - x.window && i <= x.at);
      exp += hit ? hit.expected / hit.window : rate;
    }
    e.expected = exp;
  }
  return out;
}
