// The referral package in one step, from a report, a subject or a case: the exports stage builds
// it and writes the audit entry (with the recipient) before it is handed out; when the recipient
// is an enabled partner agency, the referral is recorded too (what was sent: the package's hashes).
import type { Store } from '../store/database.ts';
import { caseReportIds, insertReferral, listAgencies } from '../store/cases.ts';
import { buildPackage, exportSources, type BuiltPackage, type ExportTarget } from '../export/index.ts';
import { appendAudit } from './audit.ts';
import { assertMayRefer, refer, type WorkActor } from './work.ts';
import { badInput, notFound } from '../model/error.ts';

/** What a package is built for. */
export interface PackageFor {
  kind: 'report' | 'subject' | 'case';
  id: string;
}

/** A built package and the referral recorded with it (null when the recipient is not a partner agency). */
export interface SentPackage extends BuiltPackage {
  referralId: number | null;
}

/** Builds the referral package of a report, subject or case for a recipient; audited, and recorded as a referral to a partner agency. */
export async function sendReferralPackage(store: Pick<Store, 'db'>, a: WorkActor, t: PackageFor, recipient: string, now: Date): Promise<SentPackage> {
  const to = recipient.trim();
  if (!to) throw badInput('NO_RECIPIENT', 'a referral package needs a recipient agency');
  const agency = (await listAgencies(store.db)).find((x) => x.code === to && x.enabled);
  let target: ExportTarget;
  if (t.kind === 'case') {
    const reportIds = await caseReportIds(store.db, t.id);
    if (!reportIds) throw notFound('NOT_FOUND', `no case ${t.id}`);
    target = { kind: 'case', id: t.id, reportIds };
  } else {
    // Refused before anything is built: a referral of something someone else holds.
    const id = agency ? await assertMayRefer(store, a, t.kind, t.id, agency.code) : t.id;
    target = { kind: t.kind, id };
  }
  const who = { userId: a.user.id, username: a.user.username, ip: a.ip };
  const built: BuiltPackage = await buildPackage(store, target, {
    // The CLI's sources: offline IP data and the warninglists.
    ...(await exportSources(store)),
    recipient: to,
    actor: a.user.username,
    now,
    audit: async (entry) => {
      await appendAudit(store, { ...who, action: 'export', targetKind: target.kind, targetId: target.id, detail: entry });
    },
  });
  if (!agency) return { ...built, referralId: null };
  const sent = {
    package: built.file.filename,
    packageSha256: built.audit.packageSha256,
    manifestSha256: built.audit.manifestSha256,
    reportIds: built.manifest.reportIds,
  };
  if (target.kind !== 'case')
    return { ...built, referralId: await refer(store, a, { kind: target.kind, itemId: target.id, agency: agency.code, type: 'referral', sent }) };
  const referralId = await insertReferral(store.db, {
    kind: 'case',
    itemId: target.id,
    agency: agency.code,
    type: 'referral',
    sentBy: a.user.id,
    sent,
    comment: null,
  });
  await appendAudit(store, { ...who, action: 'case.referral', targetKind: 'case', targetId: target.id, detail: { referralId, agency: agency.code, sent } });
  return { ...built, referralId };
}
