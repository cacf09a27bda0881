// A bounded, regularised ordinal logistic fit of additive weights, written here because no small,
// kept npm library does box constraints with a prior-centred penalty (docs/dependencies.md).
//
// Outcomes are ordered levels 0..L-1 (noise < no-action < actionable < urgent). A sample's linear
// score is offset + Σ w_j x_j (points, as the ruleset adds them); the all-threshold logistic loss
// (Rennie & Srebro 2005, "Loss functions for preference levels") asks, for each cut k, that
// P(level ≥ k) = σ(scale·score − θ_k). Weights stay inside [lower, upper] (projected gradient with
// backtracking, Bertsekas 1976) and are pulled towards a prior (the weights they start from) by
// an L2 penalty: a Gaussian prior with standard deviation 1/√l2 logits around the published weight.

/** One labelled sample: the fitted weights it uses (column, multiplier), the points it gets from everything else, its level. */
export interface FitSample {
  x: [number, number][];
  offset: number;
  level: number;
}

/** What to fit and within which bounds (all in points). */
export interface FitProblem {
  samples: FitSample[];
  levels: number;
  /** Weights to start from and pull towards. */
  prior: number[];
  lower: number[];
  upper: number[];
  /** L2 strength around the prior, in logits: a standard deviation of 1/√l2. */
  l2: number;
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

/** Identical samples folded into one row with counts per level: reports repeat the same rule pattern. */
interface Row {
  x: [number, number][];
  offset: number;
  counts: number[];
}

function fold(samples: FitSample[], levels: number): Row[] {
  const rows = new Map<string, Row>();
  for (const s of samples) {
    const x = [...s.x].sort((a, b) => a[0] - b[0]);
    const key = `${s.offset}|${x.map(([j, v]) => `${j}:${v}`).join(',')}`;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = { x, offset: s.offset, counts: new Array<number>(levels).fill(0) }));
    row.counts[s.level]!++;
  }
  return [...rows.values()];
}

/**
 * Minimises f over the box [lo, hi] by projected gradient with Armijo backtracking; the step
 * grows after each accepted move. Returns the point and the iterations used.
 */
function projectedGradient(f: (p: number[]) => { loss: number; grad: number[] }, p0: number[], lo: number[], hi: number[], maxIter = 5000, tol = 1e-10): { p: number[]; iterations: number } {
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
 * The loss of a weight vector u (in logits) and thresholds θ over the folded rows: Σ over rows,
 * cuts and levels of count · softplus(±z), plus the penalty; with its gradient. Mean over samples.
 */
function lossOf(rows: Row[], n: number, cuts: number[], base: (r: Row) => number, u: number[], theta: number[], prior: number[], l2: number, wantU: boolean): { loss: number; gu: number[]; gt: number[]; gBase: number[] } {
  let loss = 0;
  const gu = new Array<number>(u.length).fill(0);
  const gt = new Array<number>(theta.length).fill(0);
  const gBase: number[] = [];
  for (const r of rows) {
    let s = base(r);
    for (const [j, v] of r.x) s += u[j]! * v;
    let dz = 0; // d loss / d s
    cuts.forEach((k, c) => {
      const z = s - theta[c]!;
      let above = 0;
      let below = 0;
      r.counts.forEach((m, level) => { if (level >= k) above += m; else below += m; });
      // -log σ(z) for each sample at or above the cut, -log(1-σ(z)) for each below.
      loss += above * softplus(-z) + below * softplus(z);
      const g = (above + below) * sigmoid(z) - above;
      dz += g;
      gt[c]! -= g;
    });
    gBase.push(dz);
    if (wantU) for (const [j, v] of r.x) gu[j]! += dz * v;
  }
  for (let j = 0; j < u.length; j++) {
    const d = u[j]! - prior[j]!;
    loss += 0.5 * l2 * d * d;
    gu[j]! += l2 * d;
  }
  return { loss: loss / n, gu: gu.map((g) => g / n), gt: gt.map((g) => g / n), gBase: gBase.map((g) => g / n) };
}

/**
 * Fits bounded weights to ordered outcomes. First the scale (logits per point) and thresholds
 * with the weights held at the prior, so that the published weights set the scale; then the
 * weights and thresholds with that scale, each weight inside its bounds and pulled to its prior.
 */
export function fitOrdinal(problem: FitProblem): FitResult {
  const { samples, levels, prior, lower, upper, l2 } = problem;
  const n = samples.length;
  const m = prior.length;
  const rows = fold(samples, levels);
  // Only the cuts with outcomes on both sides say anything.
  const cuts: number[] = [];
  for (let k = 1; k < levels; k++) {
    const above = samples.filter((s) => s.level >= k).length;
    if (above > 0 && above < n) cuts.push(k);
  }
  if (n === 0 || cuts.length === 0) return { weights: [...prior], thresholds: [], scale: 0, iterations: 0 };
  const priorScore = (r: Row): number => r.offset + r.x.reduce((s, [j, v]) => s + prior[j]! * v, 0);
  // 1. Scale and thresholds, scores normalised by their spread so that both move at one pace.
  const spread = Math.sqrt(rows.reduce((s, r) => s + r.counts.reduce((a, b) => a + b, 0) * priorScore(r) ** 2, 0) / n) || 1;
  const stage1 = projectedGradient((p) => {
    const a = p[0]!;
    const r = lossOf(rows, n, cuts, (row) => (a * priorScore(row)) / spread, [], p.slice(1), [], 0, false);
    const ga = rows.reduce((s, row, i) => s + r.gBase[i]! * (priorScore(row) / spread), 0);
    return { loss: r.loss, grad: [ga, ...r.gt] };
    // At most one logit per point: outcomes the live scores already separate perfectly would otherwise push the scale without end.
  }, [1, ...cuts.map(() => 0)], [1e-6, ...cuts.map(() => -Infinity)], [spread, ...cuts.map(() => Infinity)]);
  const scale = stage1.p[0]! / spread;
  // 2. Weights in logits (u = scale·w) with their bounds, thresholds free.
  const toU = (w: number): number => w * scale;
  const pu = prior.map(toU);
  const stage2 = projectedGradient((p) => {
    const u = p.slice(0, m);
    const r = lossOf(rows, n, cuts, (row) => scale * row.offset, u, p.slice(m), pu, l2, true);
    return { loss: r.loss, grad: [...r.gu, ...r.gt] };
  }, [...pu, ...stage1.p.slice(1)], [...lower.map(toU), ...cuts.map(() => -Infinity)], [...upper.map(toU), ...cuts.map(() => Infinity)]);
  return {
    weights: stage2.p.slice(0, m).map((u) => (scale > 0 ? u / scale : 0)),
    thresholds: stage2.p.slice(m),
    scale,
    iterations: stage1.iterations + stage2.iterations,
  };
}
