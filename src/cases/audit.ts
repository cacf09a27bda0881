// The audit trail: every login, view, change and export, each entry chained to the one before by
// SHA-256 (anyone can check it) and by HMAC-SHA-256 with a key kept outside the database (only the
// key holder can extend it), with signed anchors of the head for storage elsewhere (truncation).
import { createHash, createPublicKey, sign, verify } from 'node:crypto';
import type { Store } from '../store/database.ts';
import { appendAuditRow, auditRowAt, auditRows, lastAuditRow, type AuditRow } from '../store/audit.ts';
import { storableText } from '../model/text.ts';
import { auditKey, findAuditKey, type AuditKey } from './audit-key.ts';
import { badInput } from '../model/error.ts';

/** The previous hash of the first entry. */
export const AUDIT_GENESIS = '0'.repeat(64);

/** What a caller records; who/where are optional for actions of the system itself. */
export interface AuditEntry {
  action: string;
  userId?: number | null;
  username?: string | null;
  ip?: string | null;
  targetKind?: string | null;
  targetId?: string | null;
  detail?: unknown;
  /** The moment; defaults to now. */
  at?: Date;
}

/** The hash of an entry: SHA-256 over the previous hash and the entry's fields in a fixed order. */
export function auditHash(r: Omit<AuditRow, 'hash' | 'mac' | 'keyId'>): string {
  const body = JSON.stringify([r.seq, r.at, r.userId, r.username, r.ip, r.action, r.targetKind, r.targetId, r.detail]);
  return createHash('sha256').update(r.prevHash).update('\n').update(body).digest('hex');
}

/** The keyed link of an entry: HMAC over the previous entry's MAC (empty before the keyed chain), its seq and its hash. */
export function auditMac(key: Pick<AuditKey, 'mac'>, prevMac: string | null, seq: number, hash: string): string {
  return key.mac(`${prevMac ?? ''}\n${seq}\n${hash}`);
}

// Hashed exactly as stored: a NUL or lone surrogate would be stored changed (or refused), so every
// text field is first made storable; detail is JSON text, whose escapes are plain ASCII.
const stored = (s: string | null | undefined): string | null => (s === null || s === undefined ? null : storableText(s));

/**
 * Appends one entry to the audit trail and returns it (with its seq, hash and MAC).
 * For other stages (exports, demo): `appendAudit(store, { action: 'export', userId, username, ip, targetKind: 'report', targetId, detail })`.
 */
export async function appendAudit(store: Pick<Store, 'db'>, e: AuditEntry): Promise<AuditRow> {
  const key = auditKey();
  const at = (e.at ?? new Date()).toISOString();
  const detail = JSON.stringify(e.detail ?? {});
  return appendAuditRow(store.db, (prev) => {
    const seq = prev ? prev.seq + 1 : 1;
    const base = {
      seq,
      at,
      userId: e.userId ?? null,
      username: stored(e.username),
      ip: stored(e.ip),
      action: storableText(e.action),
      targetKind: stored(e.targetKind),
      targetId: stored(e.targetId),
      detail,
      prevHash: prev?.hash ?? AUDIT_GENESIS,
    };
    const hash = auditHash(base);
    return { ...base, hash, mac: auditMac(key, prev?.mac ?? null, seq, hash), keyId: key.id };
  });
}

/** One problem of the trail: a range of entries and what is wrong with them. */
export interface AuditProblem {
  fromSeq: number;
  toSeq: number;
  problem: string;
}

/** The outcome of checking the chain. */
export interface AuditVerification {
  ok: boolean;
  entries: number;
  lastHash: string;
  /** False when no audit key was at hand: then only the plain hashes were checked. */
  keyed: boolean;
  /** Entries written before the keyed chain (sealed by the first keyed entry after them). */
  unkeyedPrefix: number;
  /** Every problem, consecutive entries with the same problem as one range (at most 1,000 ranges). */
  problems: AuditProblem[];
  /** The first problem (kept for older callers). */
  firstBad?: { seq: number; problem: string };
  /** Anchors checked (with `anchors`). */
  anchors?: number;
}

const MAX_PROBLEMS = 1000;

/** Checks entries one by one, in seq order, and collects every problem. */
export class AuditChecker {
  private prev: { seq: number; hash: string; mac: string | null } = { seq: 0, hash: AUDIT_GENESIS, mac: null };
  private entries = 0;
  private keyedSeen = false;
  private prefix = 0;
  private readonly problems: AuditProblem[] = [];
  private truncated = 0;

  constructor(private readonly key: AuditKey | undefined) {}

  private report(fromSeq: number, toSeq: number, problem: string): void {
    const last = this.problems[this.problems.length - 1];
    if (last && last.problem === problem && last.toSeq + 1 === fromSeq) {
      last.toSeq = toSeq;
      return;
    }
    if (this.problems.length >= MAX_PROBLEMS) {
      this.truncated++;
      return;
    }
    this.problems.push({ fromSeq, toSeq, problem });
  }

  /** Checks the next entry. */
  add(r: AuditRow): void {
    const expected = this.prev.seq + 1;
    const gap = r.seq > expected;
    if (gap) this.report(expected, r.seq - 1, 'missing: deleted from the trail');
    if (r.seq < expected) this.report(r.seq, r.seq, 'out of order or repeated');
    else if (!gap && r.prevHash !== this.prev.hash) this.report(r.seq, r.seq, 'does not chain to the entry before it: re-hashed, inserted or re-chained');
    const { hash: _h, mac: _m, keyId: _k, ...rest } = r;
    if (auditHash(rest) !== r.hash) this.report(r.seq, r.seq, 'edited: its content does not match its hash');
    if (this.key) {
      if (r.mac === null || r.mac === undefined) {
        if (this.keyedSeen) this.report(r.seq, r.seq, 'carries no MAC: written without the audit key, or its MAC removed');
        else this.prefix++;
      } else {
        this.keyedSeen = true;
        if (r.keyId !== this.key.id) this.report(r.seq, r.seq, `keyed with another audit key (id ${r.keyId ?? '?'}, here ${this.key.id})`);
        else if (auditMac(this.key, this.prev.mac, r.seq, r.hash) !== r.mac)
          this.report(r.seq, r.seq, 'its MAC does not verify: written or re-chained without the audit key');
      }
    }
    this.prev = { seq: Math.max(r.seq, this.prev.seq), hash: r.hash, mac: r.mac ?? null };
    this.entries++;
  }

  /** The verdict. */
  result(): AuditVerification {
    if (this.key && !this.keyedSeen && this.prefix > 0)
      this.report(1, this.prefix, 'carries no MAC: no entry of the trail is keyed (written before the keyed chain and never sealed, or every MAC removed)');
    if (this.truncated > 0) this.problems.push({ fromSeq: 0, toSeq: 0, problem: `${this.truncated} more problem ranges not listed` });
    const first = this.problems[0];
    return {
      ok: this.problems.length === 0,
      entries: this.entries,
      lastHash: this.prev.hash,
      keyed: this.key !== undefined,
      unkeyedPrefix: this.keyedSeen ? this.prefix : 0,
      problems: this.problems,
      ...(first ? { firstBad: { seq: first.fromSeq, problem: first.problem } } : {}),
    };
  }

  /** The last entry checked (for anchors). */
  get last(): { seq: number; hash: string } {
    return { seq: this.prev.seq, hash: this.prev.hash };
  }
}

/** Reads the whole trail in order and checks every link, hash and MAC, listing every problem; with anchors, also against them. */
export async function verifyAuditChain(
  store: Pick<Store, 'db'>,
  opts: { pageSize?: number; key?: AuditKey | null; anchors?: AuditAnchor[] } = {},
): Promise<AuditVerification> {
  const key = opts.key === null ? undefined : (opts.key ?? findAuditKey());
  const checker = new AuditChecker(key);
  let after = 0;
  for (;;) {
    const page = await auditRows(store.db, { afterSeq: after, limit: opts.pageSize ?? 5000 });
    if (page.length === 0) break;
    for (const r of page) checker.add(r);
    after = page[page.length - 1]!.seq;
  }
  const v = checker.result();
  return opts.anchors ? withAnchors(v, opts.anchors, key, (seq) => auditRowAt(store.db, seq)) : v;
}

/** A signed checkpoint of the trail's head, for write-once storage away from the database. */
export interface AuditAnchor {
  kind: 'bantay-audit-anchor';
  v: 1;
  at: string;
  seq: number;
  hash: string;
  mac: string | null;
  keyId: string;
  /** The Ed25519 public key (SPKI, base64) that verifies the signature. */
  publicKey: string;
  /** Ed25519 signature (base64) over the JSON of every other field. */
  signature: string;
}

const anchorBody = (a: Omit<AuditAnchor, 'signature'>): Buffer => Buffer.from(JSON.stringify([a.kind, a.v, a.at, a.seq, a.hash, a.mac, a.keyId, a.publicKey]));

/** Signs a checkpoint of the trail's last entry (Ed25519 with the key derived from the audit key). */
export async function makeAnchor(store: Pick<Store, 'db'>, now: Date = new Date()): Promise<AuditAnchor> {
  const key = auditKey();
  const last = await lastAuditRow(store.db);
  const body: Omit<AuditAnchor, 'signature'> = {
    kind: 'bantay-audit-anchor',
    v: 1,
    at: now.toISOString(),
    seq: last?.seq ?? 0,
    hash: last?.hash ?? AUDIT_GENESIS,
    mac: last?.mac ?? null,
    keyId: key.id,
    publicKey: key.signing.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
  return { ...body, signature: sign(null, anchorBody(body), key.signing.privateKey).toString('base64') };
}

/** Parses an anchor file (JSON lines); throws on a line that is not an anchor. */
export function parseAnchors(text: string): AuditAnchor[] {
  return text
    .split('\n')
    .filter((l) => l.trim())
    .map((l, i) => {
      const a = JSON.parse(l) as AuditAnchor;
      if (a.kind !== 'bantay-audit-anchor' || typeof a.seq !== 'number' || typeof a.signature !== 'string')
        throw badInput('BAD_FILE', `line ${i + 1} of the anchor file is not a bantay audit anchor`);
      return a;
    });
}

/** Adds the anchor checks: a bad signature, a missing anchored entry (truncation, tail deletion) or a different one (re-chaining). */
async function withAnchors(
  v: AuditVerification,
  anchors: AuditAnchor[],
  key: AuditKey | undefined,
  rowAt: (seq: number) => Promise<AuditRow | undefined>,
): Promise<AuditVerification> {
  const problems = [...v.problems];
  const trusted = key?.signing.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
  for (const a of anchors) {
    const { signature, ...body } = a;
    const pub = createPublicKey({ key: Buffer.from(a.publicKey, 'base64'), format: 'der', type: 'spki' });
    if ((trusted && a.publicKey !== trusted) || !verify(null, anchorBody(body), pub, Buffer.from(signature, 'base64'))) {
      problems.push({ fromSeq: a.seq, toSeq: a.seq, problem: `the anchor of ${a.at} is not signed by this audit key: forged or from another installation` });
      continue;
    }
    if (a.seq === 0) continue;
    const r = await rowAt(a.seq);
    if (!r)
      problems.push({
        fromSeq: a.seq,
        toSeq: a.seq,
        problem: `anchored on ${a.at} but missing: the trail was truncated or its tail deleted (it now ends at ${v.entries > 0 ? `entry ${v.entries}` : 'no entry'})`,
      });
    else if (r.hash !== a.hash || (a.mac !== null && r.mac !== a.mac))
      problems.push({
        fromSeq: a.seq,
        toSeq: a.seq,
        problem: `differs from its anchor of ${a.at}: the trail was rewritten or re-chained at or before this entry`,
      });
  }
  const first = problems[0];
  return { ...v, ok: problems.length === 0, problems, anchors: anchors.length, ...(first ? { firstBad: { seq: first.fromSeq, problem: first.problem } } : {}) };
}

/** An entry as exported and shown by the API (detail parsed). */
export interface AuditView extends Omit<AuditRow, 'detail'> {
  detail: unknown;
}

/** Turns a stored row into its view. */
export function auditView(r: AuditRow): AuditView {
  let detail: unknown;
  try {
    detail = JSON.parse(r.detail);
  } catch {
    detail = r.detail;
  }
  return { ...r, detail };
}

/** Writes every entry as JSON lines (exact stored fields, so the export can be verified on its own). */
export async function exportAudit(store: Pick<Store, 'db'>, write: (line: string) => void, pageSize = 5000): Promise<number> {
  let after = 0;
  let n = 0;
  for (;;) {
    const page = await auditRows(store.db, { afterSeq: after, limit: pageSize });
    if (page.length === 0) return n;
    for (const r of page) {
      write(`${JSON.stringify(r)}\n`);
      n++;
    }
    after = page[page.length - 1]!.seq;
  }
}

/** Checks a JSON-lines export on its own (no database): the same checks as verifyAuditChain, anchors included. */
export async function verifyAuditLines(lines: string[], opts: { key?: AuditKey | null; anchors?: AuditAnchor[] } = {}): Promise<AuditVerification> {
  const key = opts.key === null ? undefined : (opts.key ?? findAuditKey());
  const checker = new AuditChecker(key);
  const bySeq = new Map<number, AuditRow>();
  for (const line of lines) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as AuditRow;
    checker.add({ ...r, mac: r.mac ?? null, keyId: r.keyId ?? null });
    if (opts.anchors) bySeq.set(r.seq, r);
  }
  const v = checker.result();
  return opts.anchors ? withAnchors(v, opts.anchors, key, async (seq) => bySeq.get(seq)) : v;
}
