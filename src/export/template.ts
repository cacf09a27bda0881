// Initial-report templates: Handlebars text whose sections and conditions decide which
// boilerplate appears (a paragraph only for one ESP, only when files were not viewed, only
// when an IP lacks a port…), rendered to a small block markup that DOCX and PDF both draw:
//
//   # Title            ## Heading          ### Subheading
//   - bullet           > note (italic)     ---  (page break)
//   [[table reports]]  [[table ips]]  [[table files]]  [[table linked]]
//   other lines: paragraph text (lines of one paragraph are joined); **bold** inline.

import Handlebars from 'handlebars';
import { deriveEsp, type CybertipReport, type Party } from '../model/report.ts';
import type { ExportData } from './gather.ts';
import { IP_DATA_ATTRIBUTION } from '../enrich/ip-geo.ts';
import { NO_PORT_WARNING } from './iptable.ts';
import { targetLabel } from './target.ts';
import { badInput } from '../model/error.ts';

/** Who the paper is from and to. */
export interface Letterhead {
  /** The sending agency, e.g. "Department of Justice – Office of Cybercrime". */
  agency?: string | undefined;
  /** The receiving agency of a referral. */
  recipient?: string | undefined;
  /** The analyst who prepared it. */
  preparedBy?: string | undefined;
  /** The reference number the agency gives the paper. */
  reference?: string | undefined;
}

/** A table the markup can place. */
export type TableName = 'reports' | 'ips' | 'files' | 'linked';

/** One block of rendered markup. */
export type Block =
  { kind: 'title' | 'h2' | 'h3' | 'paragraph' | 'bullet' | 'note'; text: string } | { kind: 'table'; table: TableName } | { kind: 'pagebreak' };

/** A table as the documents print it (fewer, shorter columns than the spreadsheets). */
export interface PrintTable {
  headers: string[];
  /** Relative column widths. */
  widths: number[];
  rows: string[][];
}

// Free text from a report may hold line breaks that would otherwise be read as markup.
const oneLine = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();

function partyView(p: Party): Record<string, unknown> {
  const name = oneLine([p.person?.firstName, p.person?.lastName].filter(Boolean).join(' '));
  const screenName = oneLine(p.screenName).replace(/^@+/, '');
  return {
    name,
    screenName,
    espIdentifier: oneLine(p.espIdentifier),
    espService: oneLine(p.espService),
    displayNames: p.displayNames.map(oneLine),
    emails: (p.person?.emails ?? []).map((e) => oneLine(e.address)),
    phones: (p.person?.phones ?? []).map((x) => oneLine(x.number)),
    profileUrls: p.profileUrls.map(oneLine),
    age: p.person?.age,
    dateOfBirth: p.person?.dateOfBirth,
    label: name || screenName || oneLine(p.espIdentifier) || 'unnamed',
  };
}

function reportView(r: CybertipReport, data: ExportData): Record<string, unknown> {
  const s = data.summaries.find((x) => x.reportId === r.reportId);
  const files = data.media.filter((m) => m.reportId === r.reportId);
  return {
    reportId: r.reportId,
    receivedAt: s?.receivedAt ?? null,
    incidentType: oneLine(r.incident.incidentType),
    incidentTime: s?.incidentTime ?? r.incident.incidentDateTime,
    esp: deriveEsp(r),
    priority: s?.priority ?? null,
    referral: s?.referral ?? null,
    country: s?.country ?? null,
    annotations: r.incident.reportAnnotations,
    escalation: oneLine(r.incident.escalateToHighPriority) || null,
    batched: r.incident.batchedReason !== undefined,
    additionalInfo: oneLine(r.additionalInfo) || null,
    reported: r.reportedPersons.map(partyView),
    recipients: r.intendedRecipients.map(partyView),
    victims: r.victims.map(partyView),
    fileCount: files.length,
    filesNotViewed: files.filter((f) => f.viewedByEsp !== true).length,
    lawEnforcement: r.lawEnforcement ? { agencyName: oneLine(r.lawEnforcement.agencyName), caseNumber: oneLine(r.lawEnforcement.caseNumber) } : null,
  };
}

/** The values a template sees (documented in docs/exports.md). */
export function templateContext(data: ExportData, head: Letterhead, now: Date): Record<string, unknown> {
  const reports = data.reports.map((r) => reportView(r, data));
  const esps = [...new Set(reports.map((r) => r.esp as string | null).filter((e): e is string => !!e))];
  const files = data.media;
  const notViewed = files.filter((f) => f.viewedByEsp === false).length;
  const notStated = files.filter((f) => f.viewedByEsp === null).length;
  const publicIps = data.ips.filter((i) => !i.flags.some((f) => f.startsWith('not ') || f === 'no address' || f.startsWith('CGNAT')));
  return {
    agency: head.agency ?? '',
    recipient: head.recipient ?? '',
    preparedBy: head.preparedBy ?? '',
    reference: head.reference ?? '',
    date: now.toISOString().slice(0, 10),
    generatedAt: now.toISOString(),
    target: { kind: data.target.kind, id: data.target.id, label: targetLabel(data.target) },
    single: reports.length === 1,
    report: reports[0],
    reports,
    reportCount: reports.length,
    missingReports: data.missing,
    esps,
    esp: esps.join(', '),
    escalated: reports.some((r) => r.escalation !== null),
    annotations: [...new Set(reports.flatMap((r) => r.annotations as string[]))],
    ips: {
      count: data.ips.length,
      public: publicIps.length,
      withoutPort: data.ips.filter((i) => i.warnings.includes(NO_PORT_WARNING)).length,
      withoutTime: publicIps.filter((i) => i.utc === null).length,
      proxy: data.ips.filter((i) => i.possibleProxy === true || i.flags.some((f) => /vpn|relay|proxy|\btor\b/i.test(f))).length,
      countries: [...new Set(data.ips.map((i) => i.geo?.country).filter((c): c is string => !!c))],
      carriers: [...new Set(data.ips.map((i) => i.geo?.org).filter((c): c is string => !!c))],
      philippine: data.ips.filter((i) => i.geo?.country === 'PH').length,
    },
    files: {
      count: files.length,
      notViewed,
      notStated,
      viewed: files.filter((f) => f.viewedByEsp === true).length,
      needWarrantCheck: notViewed + notStated,
      known: files.filter((f) => f.novelty === 'known').length,
      viral: files.filter((f) => f.novelty === 'viral').length,
      new: files.filter((f) => f.novelty === 'new').length,
      classifications: [...new Set(files.map((f) => f.industryClassification).filter((c): c is string => !!c))],
      tags: [...new Set(files.flatMap((f) => f.tags))],
    },
    linked: data.linked.map((l) => ({
      reportId: l.reportId,
      via: l.via,
      shared: l.shared,
      esp: l.summary?.esp ?? null,
      incidentType: l.summary?.incidentType ?? null,
    })),
    linkedCount: data.linked.length,
    ipAttribution: IP_DATA_ATTRIBUTION,
  };
}

/** A Handlebars environment with the helpers templates may use (isolated from the global one). */
export function templateEngine(): typeof Handlebars {
  const hb = Handlebars.create();
  const lower = (v: unknown): string => String(v ?? '').toLowerCase();
  hb.registerHelper('eq', (a: unknown, b: unknown) => lower(a) === lower(b));
  hb.registerHelper('ne', (a: unknown, b: unknown) => lower(a) !== lower(b));
  hb.registerHelper('gt', (a: unknown, b: unknown) => Number(a) > Number(b));
  hb.registerHelper('lt', (a: unknown, b: unknown) => Number(a) < Number(b));
  hb.registerHelper('not', (a: unknown) => !a || (Array.isArray(a) && a.length === 0));
  // The last argument of a helper is Handlebars' options object: dropped from the variadic ones.
  hb.registerHelper('and', (...args: unknown[]) => args.slice(0, -1).every((a) => a && !(Array.isArray(a) && a.length === 0)));
  hb.registerHelper('or', (...args: unknown[]) => args.slice(0, -1).some((a) => a && !(Array.isArray(a) && a.length === 0)));
  /** True when a list holds the value, or a text contains it (case-insensitive). */
  hb.registerHelper('includes', (hay: unknown, needle: unknown) =>
    Array.isArray(hay) ? hay.some((h) => lower(h) === lower(needle)) : lower(hay).includes(lower(needle)),
  );
  hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(typeof sep === 'string' ? sep : ', ') : ''));
  hb.registerHelper('ymd', (v: unknown) => (typeof v === 'string' ? v.slice(0, 10) : ''));
  hb.registerHelper('datetime', (v: unknown) => (typeof v === 'string' && v ? `${v.slice(0, 19).replace('T', ' ')} UTC` : ''));
  hb.registerHelper('plural', (n: unknown, one: unknown, many: unknown) => (Number(n) === 1 ? String(one) : String(many)));
  hb.registerHelper('yesno', (v: unknown) => (v === true ? 'yes' : v === false ? 'no' : 'not stated'));
  return hb;
}

/** Checks that a template compiles (on import, so that a broken template is never stored). */
export function checkTemplate(body: string): void {
  try {
    templateEngine().precompile(body, { noEscape: true });
  } catch (err) {
    throw badInput('TEMPLATE', `template does not compile: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Renders a template's text with a context (no HTML escaping: the output is markup, not HTML). */
export function renderTemplateText(body: string, context: Record<string, unknown>): string {
  try {
    return templateEngine().compile(body, { noEscape: true })(context);
  } catch (err) {
    throw badInput('TEMPLATE', `template failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

const TABLES = new Set<TableName>(['reports', 'ips', 'files', 'linked']);

/** Parses rendered markup into blocks. */
export function parseBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  let para: string[] = [];
  const flush = (): void => {
    if (para.length) blocks.push({ kind: 'paragraph', text: para.join(' ') });
    para = [];
  };
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    let m: RegExpExecArray | null;
    if (line === '') flush();
    else if ((m = /^(#{1,3})\s+(.*)$/.exec(line))) {
      flush();
      blocks.push({ kind: m[1]!.length === 1 ? 'title' : m[1]!.length === 2 ? 'h2' : 'h3', text: m[2]! });
    } else if ((m = /^[-*]\s+(.*)$/.exec(line))) {
      flush();
      blocks.push({ kind: 'bullet', text: m[1]! });
    } else if ((m = /^>\s?(.*)$/.exec(line))) {
      flush();
      blocks.push({ kind: 'note', text: m[1]! });
    } else if (line === '---') {
      flush();
      blocks.push({ kind: 'pagebreak' });
    } else if ((m = /^\[\[table\s+(\w+)\]\]$/.exec(line)) && TABLES.has(m[1] as TableName)) {
      flush();
      blocks.push({ kind: 'table', table: m[1] as TableName });
    } else para.push(line);
  }
  flush();
  return blocks;
}

/** Splits text on **bold** markers into runs. */
export function inlineRuns(text: string): { text: string; bold: boolean }[] {
  return text
    .split(/(\*\*[^*]+\*\*)/)
    .filter((p) => p !== '')
    .map((p) => (p.startsWith('**') && p.endsWith('**') && p.length > 4 ? { text: p.slice(2, -2), bold: true } : { text: p, bold: false }));
}

const short = (h: string): string => (h.length > 16 ? `${h.slice(0, 16)}…` : h);

/** The tables the documents can place, built from the export data. */
export function printTables(data: ExportData): Record<TableName, PrintTable> {
  return {
    reports: {
      headers: ['Report', 'Received (UTC)', 'Incident', 'ESP', 'Priority', 'Files'],
      widths: [2, 2.2, 4, 2, 1.2, 1],
      rows: data.summaries.map((s) => [
        s.reportId,
        s.receivedAt?.slice(0, 16).replace('T', ' ') ?? '',
        s.incidentType,
        s.esp ?? '',
        s.priority ?? '',
        String(s.fileCount),
      ]),
    },
    ips: {
      headers: ['Report', 'IP address', 'UTC time', 'Port', 'Event', 'Carrier', 'Location', 'Notes'],
      widths: [1.6, 2.6, 2.4, 0.9, 1.2, 2.2, 2, 3],
      rows: data.ips.map((i) => [
        i.reportId,
        i.ip,
        i.utc?.replace('T', ' ').replace(/\.\d+Z$|Z$/, '') ?? '',
        i.port === null ? '' : String(i.port),
        i.event ?? '',
        [i.geo?.org, i.geo?.asn !== undefined ? `AS${i.geo.asn}` : ''].filter(Boolean).join(' '),
        [i.geo?.region, i.geo?.country].filter(Boolean).join(', '),
        [
          ...i.flags,
          ...(i.warnings.includes(NO_PORT_WARNING) ? ['no port: CGNAT risk'] : []),
          ...(i.utc === null && i.warnings.length ? ['no time'] : []),
        ].join('; '),
      ]),
    },
    files: {
      headers: ['Report', 'File', 'Name', 'MD5 / SHA-1', 'Viewed by ESP', 'Class', 'Tags', 'Novelty'],
      widths: [1.6, 1.2, 2.4, 2.6, 1.3, 0.9, 2, 1.2],
      rows: data.media.map((m) => [
        m.reportId,
        m.fileId,
        m.fileName ?? m.originalFileName ?? '',
        short(m.md5[0] ?? m.sha1[0] ?? m.sha256[0] ?? ''),
        m.viewedByEsp === null ? 'not stated' : m.viewedByEsp ? 'yes' : 'no',
        m.industryClassification ?? '',
        m.tags.join(', '),
        m.novelty ?? '',
      ]),
    },
    linked: {
      headers: ['Report', 'ESP', 'Incident', 'Linked to', 'Shared identifiers'],
      widths: [1.6, 1.8, 3, 1.6, 4],
      rows: data.linked.map((l) => [l.reportId, l.summary?.esp ?? '', l.summary?.incidentType ?? '', l.via.join(', '), l.shared.join('; ')]),
    },
  };
}
