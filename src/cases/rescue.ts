// The rescue workflow of a child (identified → located → referred for rescue → rescued → in
// aftercare with DSWD): each step with who, when and a note, in the audit trail. A child marked
// rescued keeps its reports, but those that bring no new material stop raising in the queue
// (rescued_child_reports, read by triage's `rescued-child` rule); they are re-scored at once.
import type { Store } from '../store/database.ts';
import { addRescueStep, getChild, setRescuedReports } from '../store/children.ts';
import { userByName } from '../store/accounts.ts';
import { child, RESCUE_STEPS, type Child, type RescueStep } from '../children/run.ts';
import { rescoreReports } from '../triage/rescore.ts';
import { appendAudit } from './audit.ts';
import { forgetQueueCounts } from './queue.ts';
import type { WorkActor } from './work.ts';
import { badInput, notFound, conflict } from '../model/error.ts';

/**
 * Records a rescue step. Forward only: a step may be skipped, never undone (a correction is a
 * note on a later step). Returns the child as it now stands.
 */
export async function recordRescueStep(
  store: Pick<Store, 'db' | 'copy'>,
  actor: WorkActor,
  childId: string,
  step: RescueStep,
  note: string,
  at = new Date(),
): Promise<Child> {
  const c = await getChild(store.db, childId);
  if (!c) throw notFound('NOT_FOUND', `no child ${childId}`);
  if (!(RESCUE_STEPS as readonly string[]).includes(step)) throw badInput('BAD_STEP', `unknown step ${step}; steps are ${RESCUE_STEPS.join(', ')}`);
  if (!note.trim()) throw badInput('NOTE_REQUIRED', 'each step needs a note (what was done, by whom, where)');
  const from = c.status === 'open' ? -1 : RESCUE_STEPS.indexOf(c.status as RescueStep);
  const to = RESCUE_STEPS.indexOf(step);
  if (to <= from) throw conflict('STEP_BACKWARDS', `the child is already ${c.status}: a step cannot go back to ${step}`);
  await addRescueStep(store.db, { childId, step, at: at.toISOString(), userId: actor.user.id, username: actor.user.username, note: note.trim() });
  await appendAudit(store, {
    action: 'child.rescue',
    userId: actor.user.id,
    username: actor.user.username,
    ip: actor.ip,
    targetKind: 'child',
    targetId: childId,
    detail: { step, note: note.trim(), from: c.status },
    at,
  });
  // Skipping straight to aftercare still means the child is safe.
  const rescued = RESCUE_STEPS.indexOf('rescued');
  if (to >= rescued && from < rescued) {
    await rescoreReports(store, await setRescuedReports(store.db, childId, at.toISOString()));
    forgetQueueCounts(store);
  }
  return (await child(store, childId, at))!;
}

/** The actor a command-line step is recorded under: an active account named by the operator. */
export async function actorByName(store: Pick<Store, 'db'>, username: string): Promise<WorkActor> {
  const u = await userByName(store.db, username);
  if (!u || u.disabled) throw badInput('NO_ACCOUNT', `no active account "${username}": a rescue step is recorded under a person's account`);
  return { user: { id: u.id, username: u.username, role: u.role, team: u.team }, ip: 'cli' };
}
