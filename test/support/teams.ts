// The two-team world of the object-access and case-work API tests: 16 seeded reports in subjects of
// four (reports 1–4 are S-0, 5–8 S-1, 9–12 S-2: the seed's groups, phone 0917 000 000k for S-k),
// S-0 team-a's and S-1 team-b's, S-2 mixed, each team's subject paid through one facilitator's
// phone, and the queue closed to other teams.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { seedReports, seededId } from '../../bench/api-seed.ts';
import { ingestTransactionFiles } from '../../src/ingest/transactions/run.ts';
import { scorePayments } from '../../src/payments/run.ts';
import { joinPaymentsToSubjects } from '../../src/payments/join.ts';
import type { BantayDatabase } from '../../src/store/schema.ts';
import { call, type ApiSuite } from '../api-support.ts';
import { FACILITATOR_KEYS, facilitatorsCsv, holdPhone } from './payments.ts';

/** Team-a's reports (subject S-0). */
export const TEAM_A = [1, 2, 3, 4].map(seededId);
/** Team-b's reports (subject S-1). */
export const TEAM_B = [5, 6, 7, 8].map(seededId);
/** Subject S-2: 9 team-a's, 10 team-b's, 11 and 12 nobody's. */
export const MIXED = [9, 10, 11, 12].map(seededId);

/** Seeds the world into the suite's database (`scores`: with stored scores); `work` holds the transactions file. */
export async function seedTeamWorld(s: ApiSuite, work: string, opts: { scores?: boolean } = {}): Promise<void> {
  await seedReports(s.store.db, 1, 16, { groupSize: 4, ...(opts.scores ? { scores: true } : {}) });
  // The seed's documents are stubs; exports need the canonical shape (docs/report-model.md).
  await sql`update report_versions set doc = doc || ${JSON.stringify({ idSource: 'envelope', envelope: { ipLookups: [] }, incident: { incidentType: 'Online Enticement of Children for Sexual Acts', reportAnnotations: [], incidentDateTime: '2026-10-01T00:00:00Z' }, internetDetails: [], reportedPersons: [], intendedRecipients: [], victims: [], files: [], unknown: [], warnings: [] })}::jsonb`.execute(
    s.store.db,
  );
  await holdPhone(s.store.db, FACILITATOR_KEYS[0], TEAM_A);
  await holdPhone(s.store.db, FACILITATOR_KEYS[1], TEAM_B);
  const csv = join(work, `tx-${Date.now()}-${Math.random().toString(36).slice(2)}.csv`);
  writeFileSync(csv, facilitatorsCsv());
  await ingestTransactionFiles(s.store, [csv]);
  await scorePayments(s.store);
  await joinPaymentsToSubjects(s.store);
  const { app, as } = s;
  for (const id of [...TEAM_A, MIXED[0]!])
    assert.equal((await call(app, as.supervisor, 'POST', `/api/reports/${id}/assign`, { userId: null, team: 'team-a' })).statusCode, 200);
  for (const id of [...TEAM_B, MIXED[1]!])
    assert.equal((await call(app, as.supervisor, 'POST', `/api/reports/${id}/assign`, { userId: null, team: 'team-b' })).statusCode, 200);
}

/** Closes the queue to other teams (the setting both tests probe under). */
export async function closeQueueToTeams(s: ApiSuite): Promise<void> {
  assert.equal((await call(s.app, s.as.admin, 'PUT', '/api/settings', { openQueueToAllAnalysts: false })).statusCode, 200);
}

/** How many audit entries record this action. */
export async function auditCount(db: Kysely<BantayDatabase>, action: string): Promise<number> {
  return (
    await db
      .selectFrom('audit_log')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('action', '=', action)
      .executeTakeFirstOrThrow()
  ).n;
}
