// Decisions a supervisor takes in the app that change what the stages produce: each is recorded
// by the stage that owns it, the job that applies it is queued (the request returns at once with
// its id) and the decision is audited with that id. The API routes call these and shape nothing.
import type { Store } from '../store/database.ts';
import type { JobQueue } from '../jobs/queue.ts';
import { anyPending } from '../store/pending.ts';
import { setHashListEnabled } from '../store/hashes.ts';
import { importHashList, type ImportOptions, type ImportSummary } from '../hashes/import.ts';
import { recordDecision } from '../link/run.ts';
import { changeStatus, importRuleset } from '../triage/rulesets.ts';
import { appendAudit } from './audit.ts';
import type { WorkActor } from './work.ts';

/** A split (a report leaves its subject) or a merge (two reports join one subject). */
export type SubjectDecision =
  | { action: 'split'; subjectId: string; reportId: string; comment?: string | undefined }
  | { action: 'merge'; reportA: string; reportB: string; comment?: string | undefined };

/** Records a split or merge, queues the processing that reclusters and audits it; the job's id. */
export async function decideSubjects(store: Store, jobs: JobQueue, a: WorkActor, d: SubjectDecision): Promise<string> {
  await recordDecision(store, d.action === 'split' ? { action: 'split', a: d.reportId } : { action: 'merge', a: d.reportA, b: d.reportB }, d.comment);
  const jobId = await jobs.enqueue('process', {}, { requestedBy: a.user.id });
  const who = { userId: a.user.id, username: a.user.username, ip: a.ip };
  await appendAudit(
    store,
    d.action === 'split'
      ? { ...who, action: 'subject.split', targetKind: 'subject', targetId: d.subjectId, detail: { reportId: d.reportId, comment: d.comment ?? null, jobId } }
      : { ...who, action: 'subject.merge', targetKind: 'report', targetId: d.reportA, detail: { reportB: d.reportB, comment: d.comment ?? null, jobId } },
  );
  return jobId;
}

/**
 * Stores a ruleset text as a new version, makes it live, queues the re-score of every report (as
 * of `now`) and audits it; the version and the job's id. A bad ruleset throws before anything is
 * stored.
 */
export async function publishRuleset(
  store: Store,
  jobs: JobQueue,
  a: WorkActor,
  r: { text: string; comment: string; now: Date },
): Promise<{ version: number; jobId: string }> {
  const imported = await importRuleset(store, r.text, { comment: r.comment });
  await changeStatus(store, imported.version, 'live');
  const jobId = await jobs.enqueue('rescore', { now: r.now.toISOString() }, { requestedBy: a.user.id });
  await appendAudit(store, {
    userId: a.user.id,
    username: a.user.username,
    ip: a.ip,
    action: 'rules.publish',
    targetKind: 'ruleset',
    targetId: String(imported.version),
    detail: { comment: r.comment, existing: imported.existing, jobId },
  });
  return { version: imported.version, jobId };
}

/**
 * Imports a hash list file and audits it; when the import marked reports (its entries touch their
 * files), queues the processing that refreshes their signals and scores. The import's summary with
 * that job's id (null when nothing waits).
 */
export async function importHashListFile(
  store: Store,
  jobs: JobQueue,
  a: WorkActor,
  path: string,
  opts: ImportOptions,
): Promise<ImportSummary & { processJob: string | null }> {
  const out = await importHashList(store, path, opts);
  await appendAudit(store, {
    userId: a.user.id,
    username: a.user.username,
    ip: a.ip,
    action: 'hashlist.import',
    targetKind: 'hashlist',
    targetId: opts.name,
    detail: out,
  });
  const processJob = (await anyPending(store.db)) ? await jobs.enqueue('process', {}, { requestedBy: a.user.id }) : null;
  return { ...out, processJob };
}

/**
 * Enables or disables a hash list and audits it; when that marked reports (the list's entries touch
 * their files), queues the processing that refreshes their signals and scores. Null when no list has
 * that name; else the job's id (null when nothing waits).
 */
export async function enableHashList(
  store: Store,
  jobs: JobQueue,
  a: WorkActor,
  name: string,
  enabled: boolean,
): Promise<{ processJob: string | null } | null> {
  if (!(await setHashListEnabled(store.db, name, enabled))) return null;
  const processJob = (await anyPending(store.db)) ? await jobs.enqueue('process', {}, { requestedBy: a.user.id }) : null;
  await appendAudit(store, {
    userId: a.user.id,
    username: a.user.username,
    ip: a.ip,
    action: enabled ? 'hashlist.enable' : 'hashlist.disable',
    targetKind: 'hashlist',
    targetId: name,
    detail: { processJob },
  });
  return { processJob };
}
