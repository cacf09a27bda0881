// The referral package: one ZIP with the initial report (DOCX and PDF), the IP and media tables
// (CSV and XLSX), the summaries of the reports and of the reports linked to them, and a
// manifest.json with the SHA-256 of every other file. Building it records an audit entry with
// the recipient agency and the hashes, through the `audit` function the caller passes.

import { createHash } from 'node:crypto';
import yazl from 'yazl';
import type { Store } from '../store/database.ts';
import type { ReportRow } from '../store/reports.ts';
import { IP_DATA_ATTRIBUTION } from '../enrich/ip-geo.ts';
import { initialReportFile, ipTableFile, mediaTableFile, resolveTemplate, type ReportOptions } from './exports.ts';
import { CONTENT_TYPES, safeName, type ExportFile } from './file.ts';
import { gatherExportData, type ExportData } from './gather.ts';
import { toCsv, type Sheet } from './tabular.ts';
import type { ExportTarget } from './target.ts';
import { badInput } from '../model/error.ts';

/** One file of the package as the manifest lists it. */
export interface ManifestEntry {
  name: string;
  bytes: number;
  sha256: string;
}

/** manifest.json. */
export interface Manifest {
  format: 'bantay-referral-package/1';
  createdAt: string;
  target: { kind: ExportTarget['kind']; id: string };
  recipient: string;
  reportIds: string[];
  /** Report ids the target names that the database does not hold. */
  missingReportIds: string[];
  linkedReportIds: string[];
  template: { name: string; version: number; source: 'builtin' | 'stored' };
  ipData: string;
  files: ManifestEntry[];
}

/** What the audit trail records of a package. */
export interface PackageAuditEntry {
  action: 'export.package';
  at: string;
  actor: string | null;
  target: { kind: ExportTarget['kind']; id: string };
  recipient: string;
  filename: string;
  reportIds: string[];
  packageSha256: string;
  manifestSha256: string;
  files: ManifestEntry[];
}

/** Options of a package: the report's, plus who receives it, who sends it and where the audit goes. */
export interface PackageOptions extends ReportOptions {
  /** The receiving agency (required: a referral always has one). */
  recipient: string;
  /** The user building it (for the audit entry). */
  actor?: string | null | undefined;
  /** Records the audit entry (src/cases/audit.ts appendAudit at integration); awaited before returning. */
  audit: (entry: PackageAuditEntry) => Promise<void>;
}

/** A built package. */
export interface BuiltPackage {
  file: ExportFile;
  manifest: Manifest;
  audit: PackageAuditEntry;
}

const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

function summarySheet(title: string, rows: { row: ReportRow | null; reportId: string; via?: string[]; shared?: string[] }[], linked: boolean): Sheet {
  return {
    title,
    headers: [
      'Report',
      'Received (UTC)',
      'Incident type',
      'Incident time (UTC)',
      'ESP',
      'NCMEC priority',
      'Referral',
      'Country',
      'Annotations',
      'Escalation',
      'Files',
      'Reported persons',
      'Victims',
      ...(linked ? ['Linked to', 'Shared identifiers'] : []),
    ],
    rows: rows.map(({ row: r, reportId, via, shared }) => [
      reportId,
      r?.receivedAt,
      r?.incidentType,
      r?.incidentTime,
      r?.esp,
      r?.priority,
      r ? (r.referral === null ? '' : r.referral ? 'yes' : 'no') : 'not stored',
      r?.country,
      r?.annotations.join(', '),
      r?.escalation,
      r?.fileCount,
      r?.reportedCount,
      r?.victimCount,
      ...(linked ? [via?.join(', '), shared?.join('; ')] : []),
    ]),
    notes: [],
  };
}

function zip(files: ExportFile[], mtime: Date): Promise<Uint8Array> {
  const z = new yazl.ZipFile();
  for (const f of files) z.addBuffer(Buffer.from(f.bytes), f.filename, { mtime, mode: 0o100644 });
  z.end();
  const chunks: Buffer[] = [];
  return new Promise((resolveZip, reject) => {
    z.outputStream.on('data', (c: Buffer) => chunks.push(c));
    z.outputStream.on('end', () => resolveZip(new Uint8Array(Buffer.concat(chunks))));
    z.outputStream.on('error', reject);
  });
}

/** Builds the package from gathered data (no database access; the audit is the caller's). */
export async function packageFromData(
  data: ExportData,
  template: Awaited<ReturnType<typeof resolveTemplate>>,
  opts: Omit<PackageOptions, 'audit'>,
): Promise<{ file: ExportFile; manifest: Manifest }> {
  const now = opts.now ?? new Date();
  const head = { ...opts };
  const files: ExportFile[] = [
    { ...(await initialReportFile(data, template, 'docx', head, now, opts.fonts)), filename: 'initial-report.docx' },
    { ...(await initialReportFile(data, template, 'pdf', head, now, opts.fonts)), filename: 'initial-report.pdf' },
    { ...(await ipTableFile(data, 'csv', now)), filename: 'ip-table.csv' },
    { ...(await ipTableFile(data, 'xlsx', now)), filename: 'ip-table.xlsx' },
    { ...(await mediaTableFile(data, 'csv', now)), filename: 'media.csv' },
    { ...(await mediaTableFile(data, 'xlsx', now)), filename: 'media.xlsx' },
    {
      filename: 'reports.csv',
      contentType: CONTENT_TYPES.csv,
      bytes: toCsv(
        summarySheet(
          'Reports',
          data.reports.map((r) => ({ reportId: r.reportId, row: data.summaries.find((s) => s.reportId === r.reportId) ?? null })),
          false,
        ),
      ),
    },
    {
      filename: 'linked-reports.csv',
      contentType: CONTENT_TYPES.csv,
      bytes: toCsv(
        summarySheet(
          'Linked reports',
          data.linked.map((l) => ({ reportId: l.reportId, row: l.summary, via: l.via, shared: l.shared })),
          true,
        ),
      ),
    },
  ];
  const manifest: Manifest = {
    format: 'bantay-referral-package/1',
    createdAt: now.toISOString(),
    target: { kind: data.target.kind, id: data.target.id },
    recipient: opts.recipient,
    reportIds: data.reports.map((r) => r.reportId),
    missingReportIds: data.missing,
    linkedReportIds: data.linked.map((l) => l.reportId),
    template: { name: template.name, version: template.version, source: template.source },
    ipData: `${IP_DATA_ATTRIBUTION}${data.geoVersion ? ` (${data.geoVersion})` : ''}`,
    files: files.map((f) => ({ name: f.filename, bytes: f.bytes.length, sha256: sha256(f.bytes) })),
  };
  const manifestFile: ExportFile = {
    filename: 'manifest.json',
    contentType: CONTENT_TYPES.json,
    bytes: new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`),
  };
  const bytes = await zip([manifestFile, ...files], now);
  return {
    file: {
      filename: `referral-${data.target.kind}-${safeName(data.target.id)}-${safeName(opts.recipient)}-${now.toISOString().slice(0, 10)}.zip`,
      contentType: CONTENT_TYPES.zip,
      bytes,
    },
    manifest,
  };
}

/** `bantay export package` / `POST …/export/package`: builds a referral package and records it in the audit trail. */
export async function buildPackage(store: Pick<Store, 'db'>, target: ExportTarget, opts: PackageOptions): Promise<BuiltPackage> {
  if (!opts.recipient.trim()) throw badInput('NO_RECIPIENT', 'a referral package needs a recipient agency');
  const now = opts.now ?? new Date();
  const template = await resolveTemplate(store, opts.template);
  const data = await gatherExportData(store, target, opts);
  const { file, manifest } = await packageFromData(data, template, { ...opts, now });
  const manifestBytes = new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`);
  const audit: PackageAuditEntry = {
    action: 'export.package',
    at: now.toISOString(),
    actor: opts.actor ?? null,
    target: manifest.target,
    recipient: opts.recipient,
    filename: file.filename,
    reportIds: manifest.reportIds,
    packageSha256: sha256(file.bytes),
    manifestSha256: sha256(manifestBytes),
    files: manifest.files,
  };
  // The package is handed out only once its audit entry is written.
  await opts.audit(audit);
  return { file, manifest, audit };
}
