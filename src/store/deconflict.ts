// Rows of deconfliction between agencies: peers, the file imported from each and its keyed
// hashes, the keyed hashes of this agency's own identifier keys, and the marks triage reads
// (`deconflicted_external`). Decisions live in src/deconflict.
import { markPending } from './pending.ts';
import { sql, type Kysely } from 'kysely';
import type { Store } from './database.ts';
import type { BantayDatabase } from './schema.ts';
import { bulkWrite, chunks, type Db } from './bulk.ts';
import { iso } from '../model/dates.ts';

/** A registered peer agency. */
export interface PeerRow {
  name: string;
  publicKey: string;
  fingerprint: string;
  addedBy: string | null;
  addedAt: string;
}

/** Registers a peer; false when one of that name exists (unless `replace`). */
export async function insertPeer(db: Db, p: Omit<PeerRow, 'addedAt'>, replace = false): Promise<boolean> {
  const r = await db
    .insertInto('deconflict_peers')
    .values({ name: p.name, public_key: p.publicKey, fingerprint: p.fingerprint, added_by: p.addedBy })
    .onConflict((oc) =>
      replace
        ? oc.column('name').doUpdateSet({ public_key: p.publicKey, fingerprint: p.fingerprint, added_by: p.addedBy, added_at: new Date() })
        : oc.column('name').doNothing(),
    )
    .executeTakeFirst();
  return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
}

/** Removes a peer with its file and entries; false when there was none. */
export async function deletePeer(db: Db, name: string): Promise<boolean> {
  const r = await db.deleteFrom('deconflict_peers').where('name', '=', name).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Every registered peer, by name. */
export async function listPeers(db: Db): Promise<PeerRow[]> {
  const rows = await db.selectFrom('deconflict_peers').selectAll().orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, publicKey: r.public_key, fingerprint: r.fingerprint, addedBy: r.added_by, addedAt: iso(r.added_at) }));
}

/** The file imported from a peer (without its entries). */
export interface PeerFileRow {
  peer: string;
  contact: string;
  issuedAt: string;
  expiresAt: string;
  keyId: string;
  entries: number;
  sha256: string;
  importedAt: string;
}

/** Every imported file, by peer. */
export async function listPeerFiles(db: Db): Promise<PeerFileRow[]> {
  const rows = await db.selectFrom('deconflict_files').selectAll().orderBy('peer').execute();
  return rows.map((r) => ({
    peer: r.peer,
    contact: r.contact,
    issuedAt: iso(r.issued_at),
    expiresAt: iso(r.expires_at),
    keyId: r.key_id,
    entries: r.entries,
    sha256: r.sha256,
    importedAt: iso(r.imported_at),
  }));
}

/** Replaces a peer's file and its entries in one transaction (the newest file is the peer's whole set). */
export async function replacePeerFile(
  store: Pick<Store, 'db' | 'copy'>,
  f: Omit<PeerFileRow, 'importedAt'>,
  entries: [digest: string, since: string][],
): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    await tx.deleteFrom('deconflict_entries').where('peer', '=', f.peer).execute();
    await tx.deleteFrom('deconflict_files').where('peer', '=', f.peer).execute();
    await tx
      .insertInto('deconflict_files')
      .values({ peer: f.peer, contact: f.contact, issued_at: f.issuedAt, expires_at: f.expiresAt, key_id: f.keyId, entries: f.entries, sha256: f.sha256 })
      .execute();
    await bulkWrite(
      tx,
      store.copy,
      'deconflict_entries',
      ['peer', 'digest', 'since'],
      entries.map(([d, s]) => [f.peer, d, s]),
    );
  });
}

/** Drops the files (and entries) that expired at `now`; returns the peers whose file went. */
export async function dropExpiredFiles(db: Kysely<BantayDatabase>, now: Date): Promise<string[]> {
  return db.transaction().execute(async (tx) => {
    const gone = (await tx.deleteFrom('deconflict_files').where('expires_at', '<=', now).returning('peer').execute()).map((r) => r.peer);
    if (gone.length > 0) await tx.deleteFrom('deconflict_entries').where('peer', 'in', gone).execute();
    return gone;
  });
}

/** Entries held (all files), for a quick "is there anything to match" check. */
export async function entryCount(db: Db): Promise<number> {
  const r = await db
    .selectFrom('deconflict_entries')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** One identifier key of a report in an active case, with when it came under one. */
export interface HeldKey {
  key: string;
  /** A normalised value holding the key (for the analysts' exclusions). */
  value: string;
  /** The earliest time a case still active took the report (directly or through its subject). */
  since: string;
}

/**
 * The identifier keys of every report held by an active case (its reports, and every report of
 * its subjects) of the given kinds, strengths and roles, that are not hubs.
 */
export async function activeCaseKeys(db: Db, f: { kinds: readonly string[]; strengths: readonly string[]; roles: readonly string[] }): Promise<HeldKey[]> {
  const rows = await sql<{ key: string; value: string; since: Date | string }>`
    with held as (
      select ci.item_id as report_id, ci.added_at from case_items ci join cases c on c.id = ci.case_id
        where c.status = 'active' and ci.kind = 'report'
      union all
      select ls.report_id, ci.added_at from case_items ci join cases c on c.id = ci.case_id join link_subjects ls on ls.subject_id = ci.item_id
        where c.status = 'active' and ci.kind = 'subject'
    )
    select li.key, min(li.value) as value, min(h.added_at) as since
    from held h join link_identifiers li on li.report_id = h.report_id
    where li.kind = any(${[...f.kinds]}::text[]) and li.strength = any(${[...f.strengths]}::text[]) and li.role = any(${[...f.roles]}::text[])
      and not exists (select 1 from link_hubs hb where hb.key = li.key)
    group by li.key
    order by li.key`.execute(db);
  return rows.rows.map((r) => ({ key: r.key, value: r.value, since: iso(r.since) }));
}

/** Reports whose identifier keys were not hashed from their current linked version, a page at a time. */
export async function digestPendingReports(db: Db, limit: number): Promise<{ reportId: string; version: number }[]> {
  const rows = await sql<{ report_id: string; version: number }>`
    select lr.report_id, lr.version from link_reports lr
    left join deconflict_reports d on d.report_id = lr.report_id
    where d.report_id is null or d.version <> lr.version
    order by lr.report_id limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({ reportId: r.report_id, version: r.version }));
}

/** The distinct keys of some reports of the given kinds and strengths. */
export async function keysOf(db: Db, reportIds: string[], f: { kinds: readonly string[]; strengths: readonly string[] }): Promise<string[]> {
  const out = new Set<string>();
  for (const ids of chunks(reportIds)) {
    const rows = await db
      .selectFrom('link_identifiers')
      .select('key')
      .distinct()
      .where('report_id', 'in', ids)
      .where('kind', 'in', [...f.kinds])
      .where('strength', 'in', [...f.strengths])
      .execute();
    for (const r of rows) out.add(r.key);
  }
  return [...out];
}

/** Stores keyed hashes of keys (a key already hashed keeps its row) and marks the reports done. */
export async function writeDigests(
  store: Pick<Store, 'db'>,
  keyId: string,
  digests: [key: string, digest: string][],
  reports: { reportId: string; version: number }[],
): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    for (const c of chunks(digests)) {
      await tx
        .insertInto('deconflict_digests')
        .values(c.map(([key, digest]) => ({ key, digest, key_id: keyId })))
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
    }
    for (const c of chunks(reports)) {
      await tx
        .insertInto('deconflict_reports')
        .values(c.map((r) => ({ report_id: r.reportId, version: r.version })))
        .onConflict((oc) => oc.column('report_id').doUpdateSet({ version: sql.ref('excluded.version') }))
        .execute();
    }
  });
}

/** Forgets every keyed hash not made under `keyId` (the shared key changed): they are all made again. */
export async function dropForeignDigests(db: Kysely<BantayDatabase>, keyId: string): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const other = await tx.selectFrom('deconflict_digests').select('key').where('key_id', '!=', keyId).limit(1).executeTakeFirst();
    if (!other) return false;
    await tx.deleteFrom('deconflict_digests').execute();
    await tx.deleteFrom('deconflict_reports').execute();
    return true;
  });
}

/** One local identifier whose keyed hash is in a peer's file. */
export interface EntryHit {
  reportId: string;
  subjectId: string | null;
  kind: string;
  key: string;
  value: string;
  peer: string;
  contact: string;
  since: string;
  expiresAt: string;
}

/** Every local identifier (of the given kinds and strengths, not a hub) whose keyed hash, under the file's shared key, is in an unexpired peer file. */
export async function entryHits(db: Db, f: { now: Date; kinds: readonly string[]; strengths: readonly string[] }): Promise<EntryHit[]> {
  const rows = await sql<{
    report_id: string;
    subject_id: string | null;
    kind: string;
    key: string;
    value: string;
    peer: string;
    contact: string;
    since: string;
    expires_at: Date | string;
  }>`
    select li.report_id, ls.subject_id, li.kind, li.key, li.value, e.peer, fl.contact, e.since, fl.expires_at
    from deconflict_entries e
    join deconflict_files fl on fl.peer = e.peer and fl.expires_at > ${f.now}
    join deconflict_digests dd on dd.digest = e.digest and dd.key_id = fl.key_id
    join link_identifiers li on li.key = dd.key
    left join link_subjects ls on ls.report_id = li.report_id
    where li.kind = any(${[...f.kinds]}::text[]) and li.strength = any(${[...f.strengths]}::text[])
      and not exists (select 1 from link_hubs hb where hb.key = li.key)
    order by li.report_id, e.peer`.execute(db);
  return rows.rows.map((r) => ({
    reportId: r.report_id,
    subjectId: r.subject_id,
    kind: r.kind,
    key: r.key,
    value: r.value,
    peer: r.peer,
    contact: r.contact,
    since: r.since,
    expiresAt: iso(r.expires_at),
  }));
}

/** The reports of each of some subjects. */
export async function reportsBySubject(db: Db, subjectIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  for (const ids of chunks(subjectIds)) {
    const rows = await db.selectFrom('link_subjects').select(['subject_id', 'report_id']).where('subject_id', 'in', ids).orderBy('report_id').execute();
    for (const r of rows) (out.get(r.subject_id) ?? out.set(r.subject_id, []).get(r.subject_id)!).push(r.report_id);
  }
  return out;
}

/** A stored mark: the agencies and the JSON detail. */
export interface ExternalRow {
  reportId: string;
  agencies: string[];
  detail: string;
}

/** Every stored mark. */
export async function externalRows(db: Db): Promise<Map<string, ExternalRow>> {
  const rows = await db.selectFrom('deconflicted_external').select(['report_id', 'agencies', 'detail']).execute();
  return new Map(rows.map((r) => [r.report_id, { reportId: r.report_id, agencies: r.agencies, detail: r.detail }]));
}

/** The marks of some reports. */
export async function externalRowsOf(db: Db, reportIds: string[]): Promise<ExternalRow[]> {
  const out: ExternalRow[] = [];
  for (const ids of chunks(reportIds)) {
    const rows = await db
      .selectFrom('deconflicted_external')
      .select(['report_id', 'agencies', 'detail'])
      .where('report_id', 'in', ids)
      .orderBy('report_id')
      .execute();
    for (const r of rows) out.push({ reportId: r.report_id, agencies: r.agencies, detail: r.detail });
  }
  return out;
}

/** Writes the changed marks and deletes the gone ones (a row's time changes only when its content does). */
export async function writeExternalRows(db: Kysely<BantayDatabase>, upsert: ExternalRow[], remove: string[], at: Date): Promise<void> {
  await db.transaction().execute(async (tx) => {
    for (const ids of chunks(remove)) await tx.deleteFrom('deconflicted_external').where('report_id', 'in', ids).execute();
    for (const c of chunks(upsert)) {
      await tx
        .insertInto('deconflicted_external')
        .values(c.map((r) => ({ report_id: r.reportId, agencies: r.agencies, detail: r.detail, updated_at: at })))
        .onConflict((oc) =>
          oc
            .column('report_id')
            .doUpdateSet({ agencies: sql.ref('excluded.agencies'), detail: sql.ref('excluded.detail'), updated_at: sql.ref('excluded.updated_at') }),
        )
        .execute();
    }
    // Triage reads these marks (external.case): the reports that gained, changed or lost one are scored again.
    await markPending(tx, 'scores', [...remove, ...upsert.map((r) => r.reportId)]);
  });
}
