// `npm run bench:payments [-- --rows N --seed S]`: generates N transaction rows straight into the
// scorer's typed-array columns (no files, no XML, no database: ingest is measured by
// `bantay payments ingest`), then times party resolution and scoring (features, network rounds,
// rules) and prints rows/s, the total, and the ratio against a floor measured in the same run: one
// pass over the same rows that sums amounts per party (what any scorer must at least read).
// Planted facilitator networks are counted among the alerts. Figures only: nothing asserts a time.
import { parseArgs } from 'node:util';
import { resolveParties, type NodeKeyEdges, type TxnColumns } from '../src/payments/columns.ts';
import { detect } from '../src/payments/detect.ts';
import { F } from '../src/payments/indicators.ts';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '10000000' }, seed: { type: 'string', default: '7' } } });
const N = Number(values.rows);
if (!Number.isInteger(N) || N < 1 || N > 2 ** 24) throw new Error('--rows: 1 to 16,777,216 (row numbers are packed into 24 bits for the sort)');
let seed = Number(values.seed) >>> 0 || 7;
// xorshift32: fast and deterministic; the bench needs volume, not statistical quality.
const rnd = (): number => {
  seed ^= seed << 13;
  seed >>>= 0;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  seed >>>= 0;
  return seed / 4294967296;
};
const int = (a: number, b: number): number => a + Math.floor(rnd() * (b - a + 1));
const DAY = 86_400_000;
const START = Date.UTC(2025, 10, 1);
const SPAN = 90 * DAY;
const secs = (t0: number): number => (performance.now() - t0) / 1000;
// CPU seconds as well as wall-clock: on a shared machine the wall clock mostly measures the others.
const cpu = (c0: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
};

// --- Generate ------------------------------------------------------------------------------
let t0 = performance.now();
const ts = new Float64Array(N);
const usd = new Float32Array(N);
const flags = new Uint16Array(N);
const sNode = new Int32Array(N);
const rNode = new Int32Array(N);
const prov = new Uint16Array(N);
// Each person is one or two provider customer nodes sharing one phone key.
let nodes = 0;
let keys = 0;
const eNode: number[] = [];
const eKey: number[] = [];
const person = (): [number, number] => {
  const k = keys++;
  const a = nodes++;
  eNode.push(a);
  eKey.push(k);
  if (rnd() < 0.3) {
    const b = nodes++;
    eNode.push(b);
    eKey.push(k);
    return [a, b];
  }
  return [a, a];
};
const plantedReceivers: number[] = [];
let n = 0;
const row = (t: number, amount: number, f: number, s: number, r: number, p: number): void => {
  if (n >= N) return;
  ts[n] = Math.min(START + SPAN - 1, Math.max(START, t));
  usd[n] = amount;
  flags[n] = f;
  sNode[n] = s;
  rNode[n] = r;
  prov[n] = p;
  n++;
};
while (n < N) {
  const k = rnd();
  if (k < 0.004) {
    // A facilitator paid by 3–15 foreign payers, small round amounts at night.
    const fac = person();
    plantedReceivers.push(fac[0]);
    const payers = int(3, 15);
    for (let j = 0; j < payers; j++) {
      const payer = person();
      const m = int(1, 12);
      for (let q = 0; q < m; q++) {
        const night = rnd() < 0.8 ? F.NIGHT : 0;
        row(
          START + rnd() * SPAN,
          int(10, 120),
          F.BAND | F.ROUND | F.KEYWORD | F.FOREIGN | F.CORRIDOR | F.RISK_CHANNEL | night,
          payer[q & 1]!,
          fac[q % 2]!,
          int(0, 6),
        );
      }
    }
  } else if (k < 0.45) {
    // Overseas-worker family: monthly (some weekly, night, round: hard negatives), same surname.
    const s = person();
    const r = person();
    const weekly = rnd() < 0.08;
    for (let t = START + rnd() * 30 * DAY; t < START + SPAN; t += (weekly ? 7 : 30) * DAY) {
      row(
        t,
        weekly ? 100 : 400,
        F.FAMILY | F.FOREIGN | F.CORRIDOR | F.KEYWORD | F.RISK_CHANNEL | (weekly ? F.NIGHT | F.ROUND | F.BAND : 0),
        s[0],
        r[0],
        int(0, 6),
      );
    }
  } else if (k < 0.65) {
    const s = person();
    const r = person();
    for (let q = int(1, 4); q > 0; q--) row(START + rnd() * SPAN, int(150, 1500), F.SENDER_ORG | F.WORK | F.FOREIGN | F.CORRIDOR, s[0], r[0], int(0, 6));
  } else {
    const s = person();
    const r = person();
    for (let q = int(1, 3); q > 0; q--) row(START + rnd() * SPAN, int(2, 90), F.EWALLET | F.SX_DEST | (rnd() < 0.5 ? F.ROUND : 0), s[0], r[0], int(7, 8));
  }
}
// Time order: sort (seconds since start, row) packed in one double, then permute every column.
const order = new Float64Array(N);
for (let i = 0; i < N; i++) order[i] = Math.floor((ts[i]! - START) / 1000) * 2 ** 24 + i;
order.sort();
const perm = <T extends Float64Array | Float32Array | Uint16Array | Int32Array>(a: T, make: (n: number) => T): T => {
  const b = make(N);
  for (let i = 0; i < N; i++) b[i] = a[order[i]! % 2 ** 24]!;
  return b;
};
const cols: TxnColumns = {
  n: N,
  ts: perm(ts, (m) => new Float64Array(m)),
  usd: perm(usd, (m) => new Float32Array(m)),
  flags: perm(flags, (m) => new Uint16Array(m)),
  senderNode: perm(sNode, (m) => new Int32Array(m)),
  receiverNode: perm(rNode, (m) => new Int32Array(m)),
  provider: perm(prov, (m) => new Uint16Array(m)),
};
const graph: NodeKeyEdges = { nodes, keys, edges: eNode.length, node: Int32Array.from(eNode), key: Int32Array.from(eKey) };
console.log(
  `generated ${N.toLocaleString('en')} rows, ${nodes.toLocaleString('en')} nodes, ${plantedReceivers.length} planted facilitators in ${secs(t0).toFixed(1)} s`,
);

// --- Floor: read every row once, summing amounts and counting flags per node -----------------
t0 = performance.now();
let c0 = process.cpuUsage();
const sum = new Float64Array(nodes);
const cnt = new Int32Array(nodes);
for (let i = 0; i < N; i++) {
  sum[cols.senderNode[i]!]! += cols.usd[i]!;
  if (cols.flags[i]! & F.NIGHT) cnt[cols.receiverNode[i]!]!++;
}
const floor = secs(t0);
const floorCpu = cpu(c0);

// --- Score ---------------------------------------------------------------------------------
t0 = performance.now();
c0 = process.cpuUsage();
const { partyOfNode, count } = resolveParties(graph, 25);
const tResolve = secs(t0);
const t1 = performance.now();
const det = detect(cols, partyOfNode, count);
const tDetect = secs(t1);
const total = secs(t0);
const totalCpu = cpu(c0);
const alerts = det.outcomes.filter((o) => o.alerted);
const planted = new Set(plantedReceivers.map((r) => partyOfNode[r]!));
const flaggedPlanted = new Set(alerts.filter((a) => a.role === 'receiver' && planted.has(a.party)).map((a) => a.party));
const falseReceivers = alerts.filter((a) => a.role === 'receiver' && !planted.has(a.party)).length;
console.log(`parties: ${count.toLocaleString('en')} (resolved in ${tResolve.toFixed(1)} s); scoring ${tDetect.toFixed(1)} s`);
console.log(
  `scored ${N.toLocaleString('en')} rows in ${total.toFixed(1)} s wall-clock: ${Math.round(N / total).toLocaleString('en')} rows/s; floor (one pass over the rows) ${floor.toFixed(2)} s; ratio ${(total / floor).toFixed(0)}x`,
);
console.log(
  `CPU time: scoring ${totalCpu.toFixed(1)} s (${Math.round(N / totalCpu).toLocaleString('en')} rows per CPU-second), floor ${floorCpu.toFixed(2)} s; ratio ${(totalCpu / Math.max(floorCpu, 1e-3)).toFixed(0)}x`,
);
console.log(
  `alerts: ${alerts.length} (${alerts.filter((a) => a.role === 'receiver').length} receivers, ${alerts.filter((a) => a.role === 'sender').length} senders); planted facilitators flagged ${flaggedPlanted.size}/${planted.size}; receiver alerts that are not planted: ${falseReceivers}`,
);
console.log(`memory: rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB`);
