// Letters from a report (or subject, or case): a preservation request to the ESP, and a subscriber
// request to the carrier of its IP addresses (IP, port and exact time; the carrier from the offline
// IP data). Each comes from a template an agency may replace (src/export/default-letters.ts).

import type { Store } from '../store/database.ts';
import { preservationDeadlines } from '../store/queue.ts';
import { renderDocx } from './docx.ts';
import { resolveTemplate } from './exports.ts';
import type { ExportOptions } from './exports.ts';
import { CONTENT_TYPES, safeName, type ExportFile } from './file.ts';
import { gatherExportData, type ExportData } from './gather.ts';
import type { IpRow } from './iptable.ts';
import { renderPdf, type PdfFonts } from './pdf.ts';
import type { ExportTarget } from './target.ts';
import { parseBlocks, printTables, renderTemplateText, templateContext, type Letterhead } from './template.ts';
import type { LetterKind } from './default-letters.ts';
import { badInput } from '../model/error.ts';

/** What a letter needs beyond the export options. */
export interface LetterOptions extends ExportOptions, Letterhead {
  /** The carrier a subscriber request goes to (default: the carrier with the most sessions). */
  carrier?: string | undefined;
  fonts?: PdfFonts | undefined;
}

/** A letter and what it was written from (for the audit trail). */
export interface Letter {
  file: ExportFile;
  kind: LetterKind;
  template: { name: string; version: number; source: 'builtin' | 'stored' };
  /** The carrier of a subscriber request; the ESP of a preservation request. */
  addressee: string | null;
  reportIds: string[];
  /** IP sessions a subscriber request lists. */
  rows: number;
}

const isPublic = (r: IpRow): boolean => r.geo !== null;

/** The carriers of a target's public IP sessions, most sessions first. */
export function carriersOf(ips: IpRow[]): { carrier: string; asn: string | null; rows: number }[] {
  const by = new Map<string, { carrier: string; asn: string | null; rows: number }>();
  for (const r of ips.filter(isPublic)) {
    const name = r.geo?.org;
    if (!name) continue;
    const e = by.get(name) ?? { carrier: name, asn: r.geo?.asn !== undefined ? `AS${r.geo.asn}` : null, rows: 0 };
    e.rows++;
    by.set(name, e);
  }
  return [...by.values()].sort((a, b) => b.rows - a.rows || a.carrier.localeCompare(b.carrier));
}

function accountsOf(data: ExportData): string[] {
  const out = new Set<string>();
  for (const r of data.reports) {
    for (const p of r.reportedPersons) {
      const parts = [
        p.espIdentifier && `user ID ${p.espIdentifier}`,
        p.screenName && `screen name ${p.screenName}`,
        ...(p.person?.emails ?? []).map((e) => `e-mail ${e.address}`),
        ...(p.person?.phones ?? []).map((x) => `phone ${x.number}`),
      ].filter(Boolean);
      if (parts.length) out.add(`${parts.join(', ')} (report ${r.reportId})`);
    }
  }
  return [...out];
}

/** Writes one letter for a target as DOCX or PDF from its template (stored, else shipped). */
export async function writeLetter(
  store: Pick<Store, 'db'>,
  target: ExportTarget,
  kind: LetterKind,
  format: 'docx' | 'pdf',
  opts: LetterOptions = {},
): Promise<Letter> {
  const now = opts.now ?? new Date();
  const template = await resolveTemplate(store, kind);
  const all = await gatherExportData(store, target, opts);
  const reportIds = all.reports.map((r) => r.reportId);
  let data = all;
  let letter: Record<string, unknown>;
  let addressee: string | null;
  if (kind === 'subscriber-request') {
    const carriers = carriersOf(all.ips);
    const chosen = opts.carrier ? carriers.find((c) => c.carrier.toLowerCase() === opts.carrier!.toLowerCase()) : carriers[0];
    if (opts.carrier && !chosen)
      throw badInput(
        'NO_SUCH_CARRIER',
        `no IP session of ${target.kind} ${target.id} belongs to "${opts.carrier}"; carriers: ${carriers.map((c) => c.carrier).join(', ') || 'none'}`,
      );
    // The carrier is asked about its own sessions only.
    const ips = chosen ? all.ips.filter((r) => r.geo?.org === chosen.carrier) : all.ips.filter(isPublic);
    data = { ...all, ips };
    addressee = chosen?.carrier ?? null;
    letter = {
      carrier: chosen?.carrier ?? '',
      asn: chosen?.asn ?? '',
      rows: ips.length,
      withoutPort: ips.filter((r) => r.port === null).length,
      reportIds,
      carriers,
    };
  } else {
    const esps = [...new Set(all.reports.map((r) => all.summaries.find((s) => s.reportId === r.reportId)?.esp).filter((e): e is string => !!e))];
    const stored = await preservationDeadlines(store.db, reportIds);
    const deadlines = reportIds
      .map((id) => stored.get(id))
      .filter((d): d is string => !!d)
      .sort();
    addressee = esps.join(', ') || null;
    letter = {
      esp: esps.join(', '),
      accounts: accountsOf(all),
      reportIds,
      deadline: deadlines[0] ?? '',
      overdue: deadlines[0] !== undefined && Date.parse(deadlines[0]) < now.getTime(),
    };
  }
  const text = renderTemplateText(template.body, { ...templateContext(data, opts, now), letter });
  const tables = printTables(data);
  const meta = {
    title: `${kind === 'subscriber-request' ? 'Subscriber request' : 'Preservation request'}, ${target.kind} ${target.id}`,
    footer: `Bantay · ${target.kind} ${target.id} · template ${template.name}${template.version ? ` v${template.version}` : ''} · ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    created: now,
  };
  const bytes = format === 'docx' ? await renderDocx(parseBlocks(text), tables, meta) : await renderPdf(parseBlocks(text), tables, meta, opts.fonts);
  const who = addressee ? `-${safeName(addressee).slice(0, 40)}` : '';
  return {
    file: { filename: `${kind}-${target.kind}-${safeName(target.id)}${who}.${format}`, contentType: CONTENT_TYPES[format], bytes },
    kind,
    template: { name: template.name, version: template.version, source: template.source },
    addressee,
    reportIds,
    rows: data.ips.length,
  };
}
