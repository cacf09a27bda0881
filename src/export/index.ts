// The exports stage's public surface (for src/api routes, the demo and the CLI).
export { CONTENT_TYPES, contentDisposition, safeName, type ExportFile, type ExportFormat } from './file.ts';
export { resolveTarget, targetLabel, type ExportTarget } from './target.ts';
export { gatherExportData, type ExportData, type GatherOptions, type LinkedReport } from './gather.ts';
export {
  exportInitialReport,
  exportIpTable,
  exportSources,
  exportMediaTable,
  initialReportFile,
  ipTableFile,
  mediaTableFile,
  resolveTemplate,
  type ExportOptions,
  type ReportOptions,
  type ResolvedTemplate,
} from './exports.ts';
export { buildPackage, packageFromData, type BuiltPackage, type Manifest, type ManifestEntry, type PackageAuditEntry, type PackageOptions } from './package.ts';
export { docxText, readZip, verifyPackage, type PackageCheck } from './verify.ts';
export { checkTemplate, type Letterhead } from './template.ts';
export { DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_NAME } from './default-template.ts';
export { ipTableRows, NO_PORT_WARNING, NO_TIME_WARNING, type IpGeoSource, type IpRow } from './iptable.ts';
export { mediaRows, NOT_STATED_MEANING, NOT_VIEWED_MEANING, VIEWED_MEANING, viewedMeaning, type MediaRow } from './media.ts';
export { queueCsv, queueJson, queueTableCells, QUEUE_TABLE_HEADERS, type QueueTableItem } from './queue-table.ts';
export { DEFAULT_LETTERS, LETTER_KINDS, type LetterKind } from './default-letters.ts';
export { carriersOf, writeLetter, type Letter, type LetterOptions } from './letters.ts';
