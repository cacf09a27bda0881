// The exports as functions of (store, target, options) returning one file each, so that an API
// route or a CLI command is a one-liner. Everything else (clock, IP data, warninglists, fonts)
// enters as an option.

import type { WarninglistSet } from '../enrich/warninglists.ts';
import { openIpGeo } from '../enrich/ip-geo.ts';
import { runWarninglists } from '../link/enrichment.ts';
import type { Store } from '../store/database.ts';
import { getTemplate } from '../store/templates.ts';
import { DEFAULT_TEMPLATE, DEFAULT_TEMPLATE_NAME } from './default-template.ts';
import { DEFAULT_LETTERS } from './default-letters.ts';
import { renderDocx } from './docx.ts';
import { CONTENT_TYPES, safeName, type ExportFile } from './file.ts';
import { gatherExportData, type ExportData } from './gather.ts';
import { ipTableSheet, type IpGeoSource } from './iptable.ts';
import { mediaSheet } from './media.ts';
import { renderPdf, type PdfFonts } from './pdf.ts';
import { toCsv, toXlsx } from './tabular.ts';
import { templateContext, parseBlocks, printTables, renderTemplateText, type Letterhead } from './template.ts';
import type { ExportTarget } from './target.ts';
import { notFound } from '../model/error.ts';

/** Options every export takes. */
export interface ExportOptions {
  /** Offline IP geolocation (src/enrich/ip-geo.ts openIpGeo()); without it the location columns stay empty. */
  geo?: IpGeoSource | undefined;
  warninglists?: WarninglistSet | undefined;
  /** The clock (default: now). */
  now?: Date | undefined;
}

/**
 * What every export reads besides the reports, the same for the CLI and the web: the offline IP
 * data (carrier, ASN, location; left out only with `geo: false`) and the imported warninglists
 * (unless a set is given).
 */
export async function exportSources(store: Pick<Store, 'db'>, opts: { geo?: boolean; warninglists?: WarninglistSet | undefined } = {}): Promise<ExportOptions> {
  return {
    ...(opts.geo !== false ? { geo: await openIpGeo() } : {}),
    warninglists: await runWarninglists(store, opts.warninglists),
  };
}

/** Options of the initial report. */
export interface ReportOptions extends ExportOptions, Letterhead {
  /** Stored template name (default: the shipped one). */
  template?: string | undefined;
  /** PDF fonts (default: DejaVu Sans when installed). */
  fonts?: PdfFonts | undefined;
}

/** A template ready to render, and where it came from. */
export interface ResolvedTemplate {
  name: string;
  body: string;
  version: number;
  source: 'builtin' | 'stored';
}

/** The named template: a stored one, else the shipped one by its name (the initial report, the letters); throws NOT_FOUND when unknown. */
export async function resolveTemplate(store: Pick<Store, 'db'>, name: string = DEFAULT_TEMPLATE_NAME): Promise<ResolvedTemplate> {
  const stored = await getTemplate(store.db, name);
  if (stored) return { name, body: stored.body, version: stored.version, source: 'stored' };
  if (name === DEFAULT_TEMPLATE_NAME) return { name, body: DEFAULT_TEMPLATE, version: 0, source: 'builtin' };
  const letter = (DEFAULT_LETTERS as Record<string, { body: string } | undefined>)[name];
  if (letter) return { name, body: letter.body, version: 0, source: 'builtin' };
  throw notFound('NOT_FOUND', `no template "${name}" (see \`bantay export template list\`)`);
}

const stem = (data: ExportData): string => `${data.target.kind}-${safeName(data.target.id)}`;

/** The IP table of gathered data as CSV or XLSX. */
export async function ipTableFile(data: ExportData, format: 'csv' | 'xlsx', now: Date): Promise<ExportFile> {
  const sheet = ipTableSheet(data.ips, { geoVersion: data.geoVersion });
  return {
    filename: `ip-table-${stem(data)}.${format}`,
    contentType: CONTENT_TYPES[format],
    bytes: format === 'csv' ? toCsv(sheet) : await toXlsx(sheet, { created: now }),
  };
}

/** The media table of gathered data as CSV or XLSX. */
export async function mediaTableFile(data: ExportData, format: 'csv' | 'xlsx', now: Date): Promise<ExportFile> {
  const sheet = mediaSheet(data.media);
  return {
    filename: `media-${stem(data)}.${format}`,
    contentType: CONTENT_TYPES[format],
    bytes: format === 'csv' ? toCsv(sheet) : await toXlsx(sheet, { created: now }),
  };
}

/** The initial report of gathered data, from a template, as DOCX or PDF. */
export async function initialReportFile(
  data: ExportData,
  template: ResolvedTemplate,
  format: 'docx' | 'pdf',
  head: Letterhead,
  now: Date,
  fonts?: PdfFonts,
): Promise<ExportFile> {
  const text = renderTemplateText(template.body, templateContext(data, head, now));
  const blocks = parseBlocks(text);
  const tables = printTables(data);
  const meta = {
    title: `Initial report, ${data.target.kind} ${data.target.id}`,
    footer: `Bantay · ${data.target.kind} ${data.target.id} · template ${template.name}${template.version ? ` v${template.version}` : ''} · ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    created: now,
  };
  const bytes = format === 'docx' ? await renderDocx(blocks, tables, meta) : await renderPdf(blocks, tables, meta, fonts);
  return { filename: `initial-report-${stem(data)}.${format}`, contentType: CONTENT_TYPES[format], bytes };
}

/** `GET …/export/iptable.{csv,xlsx}`: the IP table of a report, subject or case. */
export async function exportIpTable(store: Pick<Store, 'db'>, target: ExportTarget, format: 'csv' | 'xlsx', opts: ExportOptions = {}): Promise<ExportFile> {
  return ipTableFile(await gatherExportData(store, target, opts), format, opts.now ?? new Date());
}

/** `GET …/export/media.{csv,xlsx}`: the media table of a report, subject or case. */
export async function exportMediaTable(store: Pick<Store, 'db'>, target: ExportTarget, format: 'csv' | 'xlsx', opts: ExportOptions = {}): Promise<ExportFile> {
  return mediaTableFile(await gatherExportData(store, target, opts), format, opts.now ?? new Date());
}

/** `GET …/export/report.{docx,pdf}`: the initial report of a report, subject or case. */
export async function exportInitialReport(
  store: Pick<Store, 'db'>,
  target: ExportTarget,
  format: 'docx' | 'pdf',
  opts: ReportOptions = {},
): Promise<ExportFile> {
  const template = await resolveTemplate(store, opts.template);
  const data = await gatherExportData(store, target, opts);
  return initialReportFile(data, template, format, opts, opts.now ?? new Date(), opts.fonts);
}
