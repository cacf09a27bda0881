// Transactions as typed-array columns (time order), and the party graph: each record side is a
// node (a provider customer id, else a key, else a name), joined to its identifier keys; nodes
// sharing a key are one party. Ten million rows fit in a few hundred MB this way.

import { F } from './indicators.ts';

/** Transactions in time order, one entry per column per row. */
export interface TxnColumns {
  n: number;
  ts: Float64Array;
  usd: Float32Array;
  flags: Uint16Array;
  senderNode: Int32Array;
  receiverNode: Int32Array;
  provider: Uint16Array;
}

/** Node–key edges of the party graph. */
export interface NodeKeyEdges {
  nodes: number;
  keys: number;
  edges: number;
  node: Int32Array;
  key: Int32Array;
}

/** A column store that grows as rows arrive. */
export class ColumnBuilder {
  n = 0;
  private cap: number;
  ts: Float64Array;
  usd: Float32Array;
  flags: Uint16Array;
  senderNode: Int32Array;
  receiverNode: Int32Array;
  provider: Uint16Array;
  private eCap = 1024;
  edges = 0;
  eNode = new Int32Array(this.eCap);
  eKey = new Int32Array(this.eCap);

  constructor(capacity = 1024) {
    this.cap = Math.max(16, capacity);
    this.ts = new Float64Array(this.cap);
    this.usd = new Float32Array(this.cap);
    this.flags = new Uint16Array(this.cap);
    this.senderNode = new Int32Array(this.cap);
    this.receiverNode = new Int32Array(this.cap);
    this.provider = new Uint16Array(this.cap);
  }

  /** Appends a row (rows must arrive in time order). */
  push(ts: number, usd: number, flags: number, sender: number, receiver: number, provider: number): void {
    if (this.n === this.cap) this.grow();
    const i = this.n++;
    this.ts[i] = ts;
    this.usd[i] = usd;
    this.flags[i] = flags;
    this.senderNode[i] = sender;
    this.receiverNode[i] = receiver;
    this.provider[i] = provider;
  }

  /** Adds a node–key edge. */
  edge(node: number, key: number): void {
    if (this.edges === this.eCap) {
      this.eCap *= 2;
      const n = new Int32Array(this.eCap);
      n.set(this.eNode);
      this.eNode = n;
      const k = new Int32Array(this.eCap);
      k.set(this.eKey);
      this.eKey = k;
    }
    this.eNode[this.edges] = node;
    this.eKey[this.edges] = key;
    this.edges++;
  }

  private grow(): void {
    this.cap *= 2;
    const g = <T extends Float64Array | Float32Array | Uint16Array | Int32Array>(a: T, make: (n: number) => T): T => {
      const b = make(this.cap);
      b.set(a);
      return b;
    };
    this.ts = g(this.ts, (n) => new Float64Array(n));
    this.usd = g(this.usd, (n) => new Float32Array(n));
    this.flags = g(this.flags, (n) => new Uint16Array(n));
    this.senderNode = g(this.senderNode, (n) => new Int32Array(n));
    this.receiverNode = g(this.receiverNode, (n) => new Int32Array(n));
    this.provider = g(this.provider, (n) => new Uint16Array(n));
  }

  /** The columns built so far. */
  columns(): TxnColumns {
    return {
      n: this.n,
      ts: this.ts.subarray(0, this.n),
      usd: this.usd.subarray(0, this.n),
      flags: this.flags.subarray(0, this.n),
      senderNode: this.senderNode.subarray(0, this.n),
      receiverNode: this.receiverNode.subarray(0, this.n),
      provider: this.provider.subarray(0, this.n),
    };
  }

  /** The edges built so far. */
  nodeKeys(nodes: number, keys: number): NodeKeyEdges {
    return { nodes, keys, edges: this.edges, node: this.eNode.subarray(0, this.edges), key: this.eKey.subarray(0, this.edges) };
  }
}

/** Parties: nodes sharing a key (held by at most `hubCap` nodes) are one; party ids are 0..count-1 in order of first node. */
export function resolveParties(g: NodeKeyEdges, hubCap: number): { partyOfNode: Int32Array; count: number; hubKeys: number[] } {
  const parent = new Int32Array(g.nodes);
  for (let i = 0; i < g.nodes; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!;
      x = parent[x]!;
    }
    return x;
  };
  // Distinct nodes per key: edges sorted by key (counting sort), duplicates skipped.
  const start = new Int32Array(g.keys + 1);
  for (let e = 0; e < g.edges; e++) start[g.key[e]! + 1]!++;
  for (let k = 0; k < g.keys; k++) start[k + 1]! += start[k]!;
  const fill = start.slice(0, g.keys);
  const byKey = new Int32Array(g.edges);
  for (let e = 0; e < g.edges; e++) byKey[fill[g.key[e]!]!++] = g.node[e]!;
  const hubKeys: number[] = [];
  for (let k = 0; k < g.keys; k++) {
    const a = start[k]!;
    const b = start[k + 1]!;
    if (b - a < 2) continue;
    const distinct = new Set<number>();
    for (let i = a; i < b; i++) distinct.add(byKey[i]!);
    // A value shared by very many nodes is a shared or placeholder value, not one person.
    if (distinct.size > hubCap) {
      hubKeys.push(k);
      continue;
    }
    const first = byKey[a]!;
    for (let i = a + 1; i < b; i++) {
      const x = find(first);
      const y = find(byKey[i]!);
      if (x !== y) parent[Math.max(x, y)] = Math.min(x, y);
    }
  }
  const partyOfNode = new Int32Array(g.nodes);
  const id = new Int32Array(g.nodes).fill(-1);
  let count = 0;
  for (let i = 0; i < g.nodes; i++) {
    const r = find(i);
    if (id[r] === -1) id[r] = count++;
    partyOfNode[i] = id[r]!;
  }
  return { partyOfNode, count, hubKeys };
}

/** Rows re-indexed by party: for each party, its rows as sender (or receiver) in time order. */
export interface PartyIndex {
  start: Int32Array;
  rows: Int32Array;
}

/** Groups rows by a party column (counting sort: stable, so time order is kept). */
export function indexBy(partyOfRow: Int32Array, parties: number): PartyIndex {
  const start = new Int32Array(parties + 1);
  for (let i = 0; i < partyOfRow.length; i++) start[partyOfRow[i]! + 1]!++;
  for (let p = 0; p < parties; p++) start[p + 1]! += start[p]!;
  const fill = start.slice(0, parties);
  const rows = new Int32Array(partyOfRow.length);
  for (let i = 0; i < partyOfRow.length; i++) rows[fill[partyOfRow[i]!]!++] = i;
  return { start, rows };
}

/** Whether a row has a flag. */
export const has = (flags: number, f: number): boolean => (flags & f) !== 0;
export { F };
