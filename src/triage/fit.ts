// A bounded, regularised ordinal logistic fit of additive weights, written here because no small,
// kept npm library does box constraints with a prior-centred penalty (docs/dependencies.md).
//
// Outcomes are ordered levels 0..L-1 (noise < no-action < actionable < urgent). A sample's score
// is rebuilt as the rules engine builds it: per score, offset + Σ w_j x_j clamped to the score's
// range, then the weighted sum. The all-threshold logistic loss (Rennie & Srebro 2005, "Loss
// functions for preference levels") asks, for each cut k, that P(level ≥ k) = σ(scale·score − θ_k).
// Weights stay inside [lower, upper] (projected gradient with Armijo backtracking, Bertsekas 1976)
// and are pulled towards a prior (the weights they start from) by an L2 penalty: a Gaussian prior
// with standard deviation 1/√l2 logits around the published weight. Levels may be weighted (rare
// urgent outcomes counted as much as common noise).

/** The fitted weights a sample uses in one score (column, multiplier) and the points it gets there from everything else. */
export interface FitPart {
  x: [number, number][];
  offset: number;
}

/** One labelled sample: one part per score, and its outcome level. */
export interface FitSample {
  parts: FitPart[];
  level: number;
}

/** A score as the ruleset combines it: its weight in the combined score and its clamp. */
export interface FitScore {
  weight: number;
  min: number;
  max: number;
}

/** What to fit and within which bounds (all in points). */
export interface FitProblem {
  samples: FitSample[];
  levels: number;
  /** The scores, in the order of each sample's parts. */
  scores: FitScore[];
  /** Weights to start from and pull towards. */
  prior: number[];
  lower: number[];
  upper: number[];
  /** L2 strength around the prior, in logits: a standard deviation of 1/√l2. */
  l2: number;
  /** What one outcome of each level weighs in the loss (default 1 each). */
  levelWeights?: number[];
  /**
   * The least scale (logits per point) the first stage may settle on (default ~0). When the
   * published scores order the outcomes badly the scale would fall to zero and nothing could
   * move; this keeps room for the weights to put the order right.
   */
  minScale?: number;
}

/** The fitted weights, the thresholds of each cut, and the scale (logits per point). */
export interface FitResult {
  weights: number[];
  thresholds: number[];
  scale: number;
  iterations: number;
}

const softplus = (z: number): number => (z > 30 ? z : z < -30 ? Math.exp(z) : Math.log1p(Math.exp(z)));
const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Identical samples folded into one row with weighted counts per level: reports repeat the same rule pattern. */
interface Row {
  parts: FitPart[];
  counts: number[];
}

function fold(samples: FitSample[], levels: number, levelWeights: number[]): Row[] {
  const rows = new Map<string, Row>();
  for (const s of samples) {
    const parts = s.parts.map((p) => ({ x: [...p.x].sort((a, b) => a[0] - b[0]), offset: p.offset }));
    const key = parts.map((p) => `${p.offset}|${p.x.map(([j, v]) => `${j}:${v}`).join(',')}`).join('/');
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { parts, counts: new Array<number>(levels).fill(0) }));
    row.counts[s.level]! += levelWeights[s.level]!;
  }
  return [...rows.values()];
}

// The combined score of a row under weights w (points), each score clamped as the engine does;
// with, per part, whether it lies strictly inside its clamp (where the weights move it).
function scoreOf(row: Row, scores: FitScore[], w: (j: number) => number): { s: number; inside: boolean[] } {
  let s = 0;
  const inside: boolean[] = [];
  row.parts.forEach((p, k) => {
    let raw = p.offset;
    for (const [j, v] of p.x) raw += w(j) * v;
    const sc = scores[k]!;
    inside.push(raw > sc.min && raw < sc.max);
    s += sc.weight * Math.min(sc.max, Math.max(sc.min, raw));
  });
  return { s, inside };
}

/**
 * Minimises f over the box [lo, hi] by projected gradient with Armijo backtracking; the step
 * grows after each accepted move. Returns the point and the iterations used.
 */
function projectedGradient(
  f: (p: number[]) => { loss: number; grad: number[] },
  p0: number[],
  lo: number[],
  hi: number[],
  maxIter = 5000,
  tol = 1e-10,
): { p: number[]; iterations: number } {
  const project = (p: number[]): number[] => p.map((v, i) => Math.min(hi[i]!, Math.max(lo[i]!, v)));
  let p = project(p0);
  let { loss, grad } = f(p);
  let step = 1;
  for (let it = 1; it <= maxIter; it++) {
    let accepted = false;
    for (let tries = 0; tries < 60; tries++) {
      const q = project(p.map((v, i) => v - step * grad[i]!));
      const d = q.map((v, i) => v - p[i]!);
      const next = f(q);
      const decrease = d.reduce((s, di, i) => s + di * grad[i]!, 0);
      const dd = d.reduce((s, di) => s + di * di, 0);
      if (dd === 0) return { p, iterations: it };
      if (next.loss <= loss + 0.5 * decrease + 1e-15 || next.loss <= loss - 1e-12 * Math.abs(loss)) {
        const change = loss - next.loss;
        p = q;
        ({ loss, grad } = next);
        step *= 1.5;
        accepted = true;
        if (change >= 0 && change < tol * Math.max(1, Math.abs(loss))) return { p, iterations: it };
        break;
      }
      step /= 2;
    }
    if (!accepted) return { p, iterations: it };
  }
  return { p, iterations: maxIter };
}

/**
 * The loss over the folded rows of the logits z = scale·score − θ_k at each cut: count ·
 * softplus(±z), plus the L2 penalty of u (the weights in logits) around the prior; with the
 * gradient in u and θ. Divided by the total weight of the outcomes.
 */
function lossOf(
  rows: Row[],
  total: number,
  cuts: number[],
  scores: FitScore[],
  scale: number,
  u: number[],
  theta: number[],
  prior: number[],
  l2: number,
): { loss: number; gu: number[]; gt: number[] } {
  let loss = 0;
  const gu = new Array<number>(u.length).fill(0);
  const gt = new Array<number>(theta.length).fill(0);
  for (const r of rows) {
    const { s, inside } = scoreOf(r, scores, (j) => u[j]! / scale);
    let dz = 0; // d loss / d (scale·score)
    cuts.forEach((k, c) => {
      const z = scale * s - theta[c]!;
      let above = 0;
      let below = 0;
      r.counts.forEach((m, level) => {
        if (level >= k) above += m;
        else below += m;
      });
      // -log σ(z) for each outcome at or above the cut, -log(1-σ(z)) for each below.
      loss += above * softplus(-z) + below * softplus(z);
      const g = (above + below) * sigmoid(z) - above;
      dz += g;
      gt[c]! -= g;
    });
    // A clamped score does not move with its weights (the engine clamps it too).
    r.parts.forEach((p, k) => {
      if (inside[k]) for (const [j, v] of p.x) gu[j]! += dz * scores[k]!.weight * v;
    });
  }
  for (let j = 0; j < u.length; j++) {
    const d = u[j]! - prior[j]!;
    loss += 0.5 * l2 * d * d;
    gu[j]! += l2 * d;
  }
  return { loss: loss / total, gu: gu.map((g) => g / total), gt: gt.map((g) => g / total) };
}

/**
 * Fits bounded weights to ordered outcomes. First the scale (logits per point) and thresholds
 * with the weights held at the prior, so that the published weights set the scale; then the
 * weights and thresholds with that scale, each weight inside its bounds and pulled to its prior.
 * Scores are clamped as the engine clamps them, so a weight cannot buy rank past a full score.
 */
export function fitOrdinal(problem: FitProblem): FitResult {
  const { samples, levels, scores, prior, lower, upper, l2 } = problem;
  const m = prior.length;
  const levelWeights = problem.levelWeights ?? new Array<number>(levels).fill(1);
  const rows = fold(samples, levels, levelWeights);
  const total = rows.reduce((t, r) => t + r.counts.reduce((a, b) => a + b, 0), 0);
  // Only the cuts with outcomes on both sides say anything.
  const cuts: number[] = [];
  for (let k = 1; k < levels; k++) {
    const above = samples.filter((s) => s.level >= k).length;
    if (above > 0 && above < samples.length) cuts.push(k);
  }
  if (samples.length === 0 || cuts.length === 0) return { weights: [...prior], thresholds: [], scale: 0, iterations: 0 };
  // 1. Scale and thresholds, the scores as published and normalised by their spread so both move at one pace.
  const priorScores = rows.map((r) => scoreOf(r, scores, (j) => prior[j]!).s);
  const spread = Math.sqrt(rows.reduce((t, r, i) => t + r.counts.reduce((a, b) => a + b, 0) * priorScores[i]! ** 2, 0) / total) || 1;
  // The scale is then the one weight of a one-column problem whose multiplier is that normalised score.
  const unit: FitScore[] = [{ weight: 1, min: -Infinity, max: Infinity }];
  const scaled: Row[] = rows.map((r, i) => ({ parts: [{ x: [[0, priorScores[i]! / spread]], offset: 0 }], counts: r.counts }));
  const stage1 = projectedGradient(
    (p) => {
      const r = lossOf(scaled, total, cuts, unit, 1, p.slice(0, 1), p.slice(1), [0], 0);
      return { loss: r.loss, grad: [r.gu[0]!, ...r.gt] };
      // At most one logit per point: outcomes the published scores already separate would push the scale without end.
    },
    [Math.max(1, (problem.minScale ?? 0) * spread), ...cuts.map(() => 0)],
    [Math.max(1e-6, (problem.minScale ?? 0) * spread), ...cuts.map(() => -Infinity)],
    [Math.max(spread, (problem.minScale ?? 0) * spread), ...cuts.map(() => Infinity)],
  );
  const scale = stage1.p[0]! / spread;
  // 2. Weights in logits (u = scale·w) with their bounds, thresholds free.
  const toU = (w: number): number => w * scale;
  const pu = prior.map(toU);
  const stage2 = projectedGradient(
    (p) => {
      const r = lossOf(rows, total, cuts, scores, scale, p.slice(0, m), p.slice(m), pu, l2);
      return { loss: r.loss, grad: [...r.gu, ...r.gt] };
    },
    [...pu, ...stage1.p.slice(1)],
    [...lower.map(toU), ...cuts.map(() => -Infinity)],
    [...upper.map(toU), ...cuts.map(() => Infinity)],
  );
  return {
    weights: stage2.p.slice(0, m).map((u) => u / scale),
    thresholds: stage2.p.slice(m),
    scale,
    iterations: stage1.iterations + stage2.iterations,
  };
}
