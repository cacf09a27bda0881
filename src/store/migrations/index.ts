import type { Migration, MigrationProvider } from 'kysely';
import { reports } from './0001-reports.ts';
import { hashes } from './0002-hashes.ts';
import { link } from './0003-link.ts';
import { enrich } from './0004-enrich.ts';
import { triage } from './0005-triage.ts';
import { payments } from './0006-payments.ts';
import { cases } from './0007-cases.ts';
import { exports } from './0008-exports.ts';
import { viralBatch } from './0009-viral-batch.ts';
import { triageContext } from './0010-triage-context.ts';
import { subjectNames } from './0011-subject-names.ts';
import { auditKeyed } from './0012-audit-keyed.ts';
import { loginThrottle } from './0013-login-throttle.ts';
import { ingestBounds } from './0020-ingest-bounds.ts';
import { linkHubReasons } from './0030-link-hub-reasons.ts';
import { accountNamespaces } from './0031-account-namespaces.ts';
import { stageRuntime } from './0040-stage-runtime.ts';
import { caseWork } from './0050-case-work.ts';
import { trends } from './0060-trends.ts';
import { children } from './0061-children.ts';
import { geo } from './0062-geo.ts';
import { reportPoints } from './0065-report-points.ts';
import { deconfliction } from './0070-deconfliction.ts';
import { contentGroups } from './0080-content-groups.ts';
import { linkEvidenceWeight } from './0085-link-evidence-weight.ts';
import { firstInTier } from './0090-first-in-tier.ts';

// Names sort in the order they run; Kysely records each applied name in kysely_migration.
const all: Record<string, Migration> = {
  '0001-reports': reports,
  '0002-hashes': hashes,
  '0003-link': link,
  '0004-enrich': enrich,
  '0005-triage': triage,
  '0006-payments': payments,
  '0007-cases': cases,
  '0008-exports': exports,
  '0009-viral-batch': viralBatch,
  '0010-triage-context': triageContext,
  '0011-subject-names': subjectNames,
  '0012-audit-keyed': auditKeyed,
  '0013-login-throttle': loginThrottle,
  '0020-ingest-bounds': ingestBounds,
  '0030-link-hub-reasons': linkHubReasons,
  '0031-account-namespaces': accountNamespaces,
  '0040-stage-runtime': stageRuntime,
  '0050-case-work': caseWork,
  '0060-trends': trends,
  '0061-children': children,
  '0062-geo': geo,
  '0065-report-points': reportPoints,
  '0070-deconfliction': deconfliction,
  '0080-content-groups': contentGroups,
  '0085-link-evidence-weight': linkEvidenceWeight,
  '0090-first-in-tier': firstInTier,
};

/** The migrations shipped with this build, in order. */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return all;
  },
};
