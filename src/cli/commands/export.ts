import { readFileSync, writeFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type { Store } from '../../store/database.ts';
import { DEFAULT_TEMPLATE_NAME } from '../../export/default-template.ts';
import type { ExportOptions, ReportOptions } from '../../export/exports.ts';
import type { ExportFile } from '../../export/file.ts';
import type { ExportTarget } from '../../export/target.ts';
import { DEFAULT_LETTERS, LETTER_KINDS, type LetterKind } from '../../export/default-letters.ts';
import { printJson, table, withStore } from '../context.ts';
import { badInput, notFound } from '../../model/error.ts';

interface TargetOpts {
  report?: string;
  subject?: string;
  case?: string;
  reports?: string;
}

interface CommonOpts extends TargetOpts {
  out?: string;
  geo?: boolean;
  warninglists?: string;
  json?: boolean;
}

interface ReportOpts extends CommonOpts {
  template?: string;
  agency?: string;
  recipient?: string;
  preparedBy?: string;
  reference?: string;
}

async function target(store: Pick<Store, 'db'>, o: TargetOpts): Promise<ExportTarget> {
  const given = [o.report, o.subject, o.case].filter((x) => x !== undefined).length;
  if (given !== 1) throw badInput('BAD_OPTION', 'give exactly one of --report ID, --subject ID or --case ID');
  if (o.report) return { kind: 'report', id: o.report };
  if (o.subject) return { kind: 'subject', id: o.subject };
  const listed = (o.reports ?? '').split(/[\s,]+/).filter(Boolean);
  const { caseReportIds } = await import('../../store/cases.ts');
  const reportIds = listed.length ? listed : await caseReportIds(store.db, o.case!);
  if (!reportIds) throw notFound('NOT_FOUND', `no case ${o.case} in this database (or give its reports with --reports ID,ID,…)`);
  return { kind: 'case', id: o.case!, reportIds };
}

function choice<T extends string>(name: string, allowed: readonly T[]): (v: string) => T {
  return (v) => {
    if ((allowed as readonly string[]).includes(v)) return v as T;
    throw new InvalidArgumentError(`${name} must be one of ${allowed.join(', ')}`);
  };
}

// The imported warninglists unless files are named for this export (the web's sources otherwise).
async function exportOptions(store: Pick<Store, 'db'>, o: CommonOpts): Promise<ExportOptions> {
  const { exportSources } = await import('../../export/exports.ts');
  const { loadWarninglists } = await import('../../enrich/warninglist-files.ts');
  return exportSources(store, { ...(o.geo === false ? { geo: false } : {}), ...(o.warninglists ? { warninglists: loadWarninglists(o.warninglists) } : {}) });
}

function reportOptions(o: ReportOpts): Omit<ReportOptions, keyof ExportOptions> {
  return { template: o.template, agency: o.agency, recipient: o.recipient, preparedBy: o.preparedBy, reference: o.reference };
}

function write(file: ExportFile, o: CommonOpts, extra: Record<string, unknown> = {}): void {
  const path = o.out ?? file.filename;
  writeFileSync(path, file.bytes);
  if (o.json) return printJson({ path, bytes: file.bytes.length, contentType: file.contentType, ...extra });
  process.stdout.write(`Wrote ${path} (${file.bytes.length} bytes)\n`);
}

function targetOptions(c: Command): Command {
  return c
    .option('--report <id>', 'one report')
    .option('--subject <id>', 'a subject (see `bantay subjects`)')
    .option('--case <id>', 'a case: its reports and the reports of its subjects')
    .option('--reports <ids>', "instead of the case's own items: these report ids, comma-separated")
    .option('--out <file>', 'where to write (default: a name from the target, in the current folder)')
    .option('--no-geo', 'leave out the offline IP geolocation')
    .option('--warninglists <path>', 'use these MISP warninglist files instead of the imported ones')
    .option('--json', 'print what was written as JSON');
}

function letterhead(c: Command): Command {
  return c
    .option('--template <name>', `template (default: ${DEFAULT_TEMPLATE_NAME})`)
    .option('--agency <name>', 'the sending agency (letterhead)')
    .option('--prepared-by <name>', 'the analyst preparing it')
    .option('--reference <ref>', "the agency's reference number");
}

/** `bantay export iptable|media|report|package|letter`, `bantay export template …`. */
export function registerExportCommands(program: Command): void {
  const exp = program.command('export').description('papers for police: IP and media tables, the initial report, the referral package');

  targetOptions(exp.command('iptable'))
    .description('IP table (IP, UTC time, port, event, proxy, carrier, location, CGNAT warning) as CSV or XLSX')
    .option('--format <format>', 'csv | xlsx', choice('--format', ['csv', 'xlsx'] as const), 'csv')
    .action(async (o: CommonOpts & { format: 'csv' | 'xlsx' }, cmd: Command) => {
      const { exportIpTable } = await import('../../export/exports.ts');
      write(await withStore(cmd, async (s) => exportIpTable(s, await target(s, o), o.format, await exportOptions(s, o))), o);
    });

  targetOptions(exp.command('media'))
    .description('media table (names, hashes, viewed by ESP, classification, tags, hash signals) as CSV or XLSX')
    .option('--format <format>', 'csv | xlsx', choice('--format', ['csv', 'xlsx'] as const), 'csv')
    .action(async (o: CommonOpts & { format: 'csv' | 'xlsx' }, cmd: Command) => {
      const { exportMediaTable } = await import('../../export/exports.ts');
      write(await withStore(cmd, async (s) => exportMediaTable(s, await target(s, o), o.format)), o);
    });

  letterhead(targetOptions(exp.command('report')))
    .description('the initial report from a template, as DOCX or PDF')
    .option('--format <format>', 'docx | pdf', choice('--format', ['docx', 'pdf'] as const), 'docx')
    .option('--recipient <agency>', 'the receiving agency')
    .action(async (o: ReportOpts & { format: 'docx' | 'pdf' }, cmd: Command) => {
      const { exportInitialReport } = await import('../../export/exports.ts');
      write(
        await withStore(cmd, async (s) => exportInitialReport(s, await target(s, o), o.format, { ...(await exportOptions(s, o)), ...reportOptions(o) })),
        o,
      );
    });

  letterhead(targetOptions(exp.command('package')))
    .description('referral package: ZIP with the initial report, the tables, linked reports and a manifest of SHA-256 hashes (audited)')
    .requiredOption('--recipient <agency>', 'the receiving agency (recorded in the audit trail)')
    .option('--actor <user>', 'who is sending it (recorded in the audit trail)')
    .action(async (o: ReportOpts & { recipient: string; actor?: string }, cmd: Command) => {
      const { appendAudit } = await import('../../cases/audit.ts');
      const { buildPackage } = await import('../../export/package.ts');
      const actor = o.actor ?? process.env.USER ?? null;
      const built = await withStore(cmd, async (s) => {
        const t = await target(s, o);
        return buildPackage(s, t, {
          ...(await exportOptions(s, o)),
          ...reportOptions(o),
          recipient: o.recipient,
          actor,
          // The package is recorded in the audit trail before it is handed back.
          audit: async (entry) => {
            await appendAudit(s, { action: 'export', username: actor, targetKind: t.kind, targetId: t.id, detail: entry });
          },
        });
      });
      write(built.file, o, { sha256: built.audit.packageSha256, manifest: built.manifest });
    });

  letterhead(targetOptions(exp.command('letter')))
    .description("a letter from the agency's template: preservation request to the ESP, or subscriber request to a carrier (IP, port, UTC time); audited")
    .requiredOption('--kind <letter>', `${LETTER_KINDS.join(' | ')}`, choice('--kind', LETTER_KINDS))
    .option('--format <format>', 'pdf | docx', choice('--format', ['pdf', 'docx'] as const), 'pdf')
    .option('--carrier <name>', 'subscriber request: the carrier (default: the one with the most sessions)')
    .option('--actor <user>', 'who is sending it (recorded in the audit trail)')
    .action(async (o: ReportOpts & { kind: LetterKind; format: 'pdf' | 'docx'; carrier?: string; actor?: string }, cmd: Command) => {
      const { appendAudit } = await import('../../cases/audit.ts');
      const { writeLetter } = await import('../../export/letters.ts');
      const actor = o.actor ?? process.env.USER ?? null;
      const letter = await withStore(cmd, async (s) => {
        const t = await target(s, o);
        const out = await writeLetter(s, t, o.kind, o.format, {
          ...(await exportOptions(s, o)),
          ...reportOptions(o),
          ...(o.carrier ? { carrier: o.carrier } : {}),
        });
        await appendAudit(s, {
          action: 'letter',
          username: actor,
          targetKind: t.kind,
          targetId: t.id,
          detail: { letter: o.kind, format: o.format, addressee: out.addressee, template: out.template, reportIds: out.reportIds, filename: out.file.filename },
        });
        return out;
      });
      write(letter.file, o, { addressee: letter.addressee, template: letter.template });
    });

  exp
    .command('verify')
    .description('check a referral package: every file against the SHA-256 in its manifest')
    .argument('<file>', 'the package ZIP')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, o: { json?: boolean }) => {
      const { verifyPackage } = await import('../../export/verify.ts');
      const r = await verifyPackage(readFileSync(file));
      if (!r.ok) process.exitCode = 1;
      if (o.json) return printJson(r);
      if (r.ok)
        process.stdout.write(
          `OK: ${r.manifest!.files.length} file(s) match manifest.json (${r.manifest!.target.kind} ${r.manifest!.target.id}, for ${r.manifest!.recipient}, ${r.manifest!.createdAt})\n`,
        );
      else process.stdout.write(`FAILED:\n${r.problems.map((p) => `  ${p}`).join('\n')}\n`);
    });

  const tpl = exp.command('template').description('initial-report templates shared by every user of this database');

  tpl
    .command('list')
    .description('stored templates and the shipped one')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const { listTemplates } = await import('../../store/templates.ts');
      const stored = await withStore(cmd, (s) => listTemplates(s.db), { quick: true });
      const rows = [
        ...[
          { name: DEFAULT_TEMPLATE_NAME, description: 'Philippine DOJ-OOC style initial report (shipped)' },
          ...Object.entries(DEFAULT_LETTERS).map(([name, l]) => ({ name, description: l.description })),
        ]
          .filter((b) => !stored.some((t) => t.name === b.name))
          .map((b) => ({ ...b, source: 'builtin', version: 0, updatedAt: null as string | null, updatedBy: null as string | null })),
        ...stored.map((t) => ({
          name: t.name,
          source: 'stored',
          version: t.version,
          description: t.description,
          updatedAt: t.updatedAt,
          updatedBy: t.updatedBy,
        })),
      ].sort((a, b) => a.name.localeCompare(b.name));
      if (o.json || cmd.parent?.opts<{ json?: boolean }>().json) return printJson(rows);
      process.stdout.write(
        `${table(
          ['name', 'source', 'version', 'updated', 'description'],
          rows.map((r) => [r.name, r.source, r.version || '', r.updatedAt?.slice(0, 16) ?? '', r.description]),
        )}\n`,
      );
    });

  tpl
    .command('show')
    .description("print a template's text")
    .argument('[name]', 'template name', DEFAULT_TEMPLATE_NAME)
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const { resolveTemplate } = await import('../../export/exports.ts');
      const t = await withStore(cmd, (s) => resolveTemplate(s, name), { quick: true });
      process.stdout.write(t.body.endsWith('\n') ? t.body : `${t.body}\n`);
    });

  tpl
    .command('export')
    .description("write a template's text to a file (to edit and import under a new name)")
    .argument('[name]', 'template name', DEFAULT_TEMPLATE_NAME)
    .requiredOption('--out <file>', 'where to write')
    .action(async (name: string, o: { out: string }, cmd: Command) => {
      const { resolveTemplate } = await import('../../export/exports.ts');
      const t = await withStore(cmd, (s) => resolveTemplate(s, name), { quick: true });
      writeFileSync(o.out, t.body);
      process.stdout.write(`Wrote ${o.out} (${t.name}, ${t.source}${t.version ? ` v${t.version}` : ''})\n`);
    });

  tpl
    .command('import')
    .description('store a template for every user (checked first; the same name again makes a new version)')
    .argument('<file>', 'Handlebars template text')
    .requiredOption('--name <name>', 'template name (the shipped name replaces the shipped template)')
    .option('--description <text>', 'what it is for')
    .option('--by <user>', 'who changed it')
    .action(async (file: string, o: { name: string; description?: string; by?: string }, cmd: Command) => {
      const { checkTemplate } = await import('../../export/template.ts');
      const { saveTemplate } = await import('../../store/templates.ts');
      const body = readFileSync(file, 'utf8');
      checkTemplate(body);
      const r = await withStore(cmd, (s) =>
        saveTemplate(s.db, {
          name: o.name,
          body,
          ...(o.description !== undefined ? { description: o.description } : {}),
          updatedBy: o.by ?? process.env.USER ?? null,
        }),
      );
      process.stdout.write(`Template ${o.name}: ${r.outcome} (version ${r.version})\n`);
    });

  tpl
    .command('delete')
    .description('delete a stored template (the shipped one comes back if it was replaced)')
    .argument('<name>', 'template name')
    .action(async (name: string, _o: unknown, cmd: Command) => {
      const { deleteTemplate } = await import('../../store/templates.ts');
      const ok = await withStore(cmd, (s) => deleteTemplate(s.db, name));
      if (!ok) throw notFound('NOT_FOUND', `no stored template "${name}"`);
      process.stdout.write(`Deleted template ${name}.\n`);
    });
}
