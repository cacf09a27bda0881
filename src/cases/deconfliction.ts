// The exchange of deconfliction files with partner agencies (docs/deconfliction.md): registering
// their keys, writing this agency's signed file and importing theirs, each audited. The matching
// itself is the deconflict stage (src/deconflict/run.ts), which these actions call; they sit here,
// with the rest of the analysts' audited work, so that the stage imports no case work.
import { createHash } from 'node:crypto';
import type { Store } from '../store/database.ts';
import { activeCaseKeys, deletePeer, insertPeer, listPeerFiles, listPeers, replacePeerFile } from '../store/deconflict.ts';
import { listExclusions } from '../store/link.ts';
import { exclusionMatcher } from '../link/rules.ts';
import { buildFile, fileText, parseFile, refusal, DEFAULT_VALID_DAYS, MAX_VALID_DAYS, type DeconflictFile, type Entry } from '../deconflict/file.ts';
import { fingerprintOf, parsePublicKey, sharedKey, signingKey, type SharedKey, type SigningKey } from '../deconflict/keys.ts';
import { checkName, EXPORTED_ROLES, identity, matchExternal, SHARED_KINDS, SHARED_STRENGTHS, type MatchSummary } from '../deconflict/run.ts';
import { appendAudit } from './audit.ts';
import { actorFields, CLI_ACTOR, type Actor } from './accounts.ts';
import { badInput, forbidden, notFound, conflict } from '../model/error.ts';

const DAY_MS = 86_400_000;

/** Registers a peer agency's public key (obtained out of band); `replace` swaps the key of a known peer. */
export async function addPeer(
  store: Pick<Store, 'db'>,
  name: string,
  publicKey: string,
  o: { actor?: Actor; replace?: boolean } = {},
): Promise<{ name: string; fingerprint: string }> {
  const peer = checkName('a peer name', name);
  const key = parsePublicKey(publicKey);
  const text = key.export({ format: 'der', type: 'spki' }).toString('base64');
  const fingerprint = fingerprintOf(key);
  const actor = o.actor ?? CLI_ACTOR;
  if (!(await insertPeer(store.db, { name: peer, publicKey: text, fingerprint, addedBy: actor.username }, o.replace === true))) {
    throw conflict('PEER_EXISTS', `a peer named "${peer}" is registered already: give --replace to change its key`);
  }
  await appendAudit(store, {
    ...actorFields(actor),
    action: 'deconflict.peer.add',
    targetKind: 'deconfliction',
    targetId: peer,
    detail: { fingerprint, replace: o.replace === true },
  });
  return { name: peer, fingerprint };
}

/** Removes a peer with its file; its marks go at once. */
export async function removePeer(store: Pick<Store, 'db' | 'copy'>, name: string, o: { actor?: Actor; now?: Date } = {}): Promise<MatchSummary> {
  if (!(await deletePeer(store.db, name))) throw notFound('NO_PEER', `no peer named "${name}"`);
  const actor = o.actor ?? CLI_ACTOR;
  await appendAudit(store, { ...actorFields(actor), action: 'deconflict.peer.remove', targetKind: 'deconfliction', targetId: name });
  return matchExternal(store, o.now ? { now: o.now } : {});
}

/** What an export wrote. */
export interface Exported {
  file: DeconflictFile;
  /** The file's text as written. */
  text: string;
  sha256: string;
}

/**
 * Builds this agency's signed file: the keyed hashes of the identifier keys of its active cases'
 * reports (strong and medium kinds of SHARED_KINDS, roles EXPORTED_ROLES, no hub, no analyst
 * exclusion), each with the date it came under an active case. Audited.
 */
export async function exportDeconfliction(
  store: Pick<Store, 'db'>,
  o: { agency?: string; contact?: string; days?: number; now?: Date; actor?: Actor; shared?: SharedKey; signing?: SigningKey } = {},
): Promise<Exported> {
  const now = o.now ?? new Date();
  const stored = await identity(store);
  const agency = o.agency ?? stored?.agency;
  const contact = o.contact ?? stored?.contact;
  if (!agency || !contact)
    throw badInput(
      'NO_IDENTITY',
      'the file must name this agency and a contact role: run `bantay deconflict identity --agency NAME --contact ROLE` or give --agency and --contact',
    );
  const days = o.days ?? DEFAULT_VALID_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > MAX_VALID_DAYS) throw badInput('BAD_DAYS', `a file is valid for 1 to ${MAX_VALID_DAYS} whole days`);
  const shared = o.shared ?? sharedKey();
  const signing = o.signing ?? signingKey();
  const excluded = exclusionMatcher(await listExclusions(store.db));
  const held = (await activeCaseKeys(store.db, { kinds: SHARED_KINDS, strengths: SHARED_STRENGTHS, roles: EXPORTED_ROLES })).filter(
    (k) => excluded(k.value, k.key) === undefined,
  );
  const entries: Entry[] = held.map((k) => [shared.digest(k.key), k.since.slice(0, 10)]);
  const file = buildFile(
    {
      agency: checkName('the agency name', agency),
      contact: checkName('the contact role', contact),
      issuedAt: now,
      expiresAt: new Date(now.getTime() + days * DAY_MS),
      keyId: shared.id,
      entries,
    },
    signing.privateKey,
  );
  const text = fileText(file);
  const sha256 = createHash('sha256').update(text).digest('hex');
  await appendAudit(store, {
    ...actorFields(o.actor ?? CLI_ACTOR),
    action: 'deconflict.export',
    targetKind: 'deconfliction',
    targetId: file.agency,
    detail: { entries: file.entries.length, issuedAt: file.issuedAt, expiresAt: file.expiresAt, keyId: file.keyId, signer: signing.fingerprint, sha256 },
  });
  return { file, text, sha256 };
}

/** What an accepted import did. */
export interface Imported {
  peer: string;
  entries: number;
  issuedAt: string;
  expiresAt: string;
  match: MatchSummary;
}

/**
 * Imports one peer's file: refused (REFUSED, with the reason, and audited) when it
 * is not a valid file, unsigned, from an unknown sender, not signed by that sender's registered
 * key, made under another shared key, expired, or not newer than the one held. Accepted, it
 * replaces that peer's previous file, and the marks are recomputed. Audited.
 */
export async function importDeconfliction(
  store: Pick<Store, 'db' | 'copy'>,
  bytes: Uint8Array,
  o: { name?: string; now?: Date; actor?: Actor; shared?: SharedKey } = {},
): Promise<Imported> {
  const now = o.now ?? new Date();
  const actor = o.actor ?? CLI_ACTOR;
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const refuse = async (reason: string, agency?: string): Promise<never> => {
    await appendAudit(store, {
      ...actorFields(actor),
      action: 'deconflict.import.refused',
      targetKind: 'deconfliction',
      targetId: agency ?? null,
      detail: { file: o.name ?? null, sha256, reason },
    });
    throw forbidden('REFUSED', reason);
  };
  const parsed = parseFile(bytes);
  if (!parsed.ok) return refuse(parsed.reason);
  const f = parsed.file;
  const shared = o.shared ?? sharedKey();
  const peer = (await listPeers(store.db)).find((p) => p.name === f.agency);
  const held = (await listPeerFiles(store.db)).find((x) => x.peer === f.agency);
  const why = refusal(f, { senderKey: peer ? parsePublicKey(peer.publicKey) : undefined, sharedKeyId: shared.id, now, heldIssuedAt: held?.issuedAt });
  if (why) return refuse(why, f.agency);
  await replacePeerFile(
    store,
    { peer: f.agency, contact: f.contact, issuedAt: f.issuedAt, expiresAt: f.expiresAt, keyId: f.keyId, entries: f.entries.length, sha256 },
    f.entries,
  );
  await appendAudit(store, {
    ...actorFields(actor),
    action: 'deconflict.import',
    targetKind: 'deconfliction',
    targetId: f.agency,
    detail: { file: o.name ?? null, sha256, entries: f.entries.length, issuedAt: f.issuedAt, expiresAt: f.expiresAt, signer: peer!.fingerprint },
  });
  const match = await matchExternal(store, { now, shared });
  return { peer: f.agency, entries: f.entries.length, issuedAt: f.issuedAt, expiresAt: f.expiresAt, match };
}
