import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { STATUSES } from '../../cases/statuses.ts';
import type { QueueChange, RulesetStatus } from '../../triage/rulesets.ts';
import type { CalibrationReport, OutcomeFile } from '../../triage/calibrate.ts';
import { positiveInt, printJson, table, withStore } from '../context.ts';
import { badInput, notFound } from '../../model/error.ts';

function limitOption(value: string): number | 'all' {
  if (value === 'all') return 'all';
  return positiveInt('--limit')(value);
}

function asOf(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw badInput('BAD_OPTION', `--as-of must be a date or date-time, got "${value}"`);
  return d;
}

// `rules` itself has no options, but subcommands share --json with their parent in commander.
function json(opts: { json?: boolean }, cmd: Command): boolean {
  return opts.json === true || cmd.parent?.opts<{ json?: boolean }>().json === true;
}

function printChange(c: QueueChange): void {
  process.stdout.write(
    `${c.reports} reports: ${c.movedUp} move up and ${c.movedDown} move down by more than ${c.threshold} place(s); ${c.movedSlightly} move ${c.threshold} or fewer; ${c.unchanged} keep their place.\n`,
  );
  const tiers = [...new Set([...Object.keys(c.tiersBefore), ...Object.keys(c.tiersAfter)])];
  process.stdout.write(
    `${table(
      ['tier', 'before', 'after'],
      tiers.map((t) => [t, c.tiersBefore[t] ?? 0, c.tiersAfter[t] ?? 0]),
    )}\n`,
  );
  const changes = Object.entries(c.tierChanges).sort((a, b) => b[1] - a[1]);
  if (changes.length)
    process.stdout.write(
      `Tier changes:\n${table(
        ['from → to', 'reports'],
        changes.map(([k, n]) => [k, n]),
      )}\n`,
    );
  if (c.biggestMoves.length)
    process.stdout.write(
      `Largest moves:\n${table(
        ['report', 'from', 'to', 'tier'],
        c.biggestMoves.map((m) => [m.reportId, m.from, m.to, `${m.tierFrom} → ${m.tierTo}`]),
      )}\n`,
    );
}

function nonNegative(name: string): (value: string) => number {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw badInput('BAD_OPTION', `${name} must be a number of 0 or more, got "${value}"`);
    return n;
  };
}

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

function printCalibration(r: CalibrationReport, file: OutcomeFile | undefined): void {
  const o = r.outcomes;
  const n = o.urgent + o.actionable + o['no-action'] + o.noise;
  const out: string[] = [];
  out.push(
    `Calibrating ruleset v${r.fromVersion} on ${n} outcome(s) (urgent ${o.urgent}, actionable ${o.actionable}, no-action ${o['no-action']}, noise ${o.noise}), scored as of ${r.asOf}.`,
  );
  if (file?.rejected.length) {
    out.push(`Set aside ${file.rejected.length} row(s) of the outcomes file:`);
    for (const x of file.rejected.slice(0, 20)) out.push(`  line ${x.line}: ${x.reason}${x.text ? ` (${x.text})` : ''}`);
    if (file.rejected.length > 20) out.push(`  … and ${file.rejected.length - 20} more (--json lists them all)`);
  }
  if (r.unknownReports.length)
    out.push(`${r.unknownReports.length} outcome(s) name a report that is not in the database (first: ${r.unknownReports.slice(0, 5).join(', ')}).`);
  const changed = r.weights.filter((w) => w.fitted);
  out.push(`${changed.length} weight(s) fitted; ${r.weights.length - changed.length} kept (too few outcomes, or not additive).`);
  out.push(
    table(
      ['rule', 'score', 'old', 'new', 'outcomes', 'urgent', 'actionable', 'no-action', 'noise', ''],
      r.weights.map((w) => [
        w.id,
        w.score,
        w.from,
        w.to,
        w.support,
        w.byOutcome.urgent,
        w.byOutcome.actionable,
        w.byOutcome['no-action'],
        w.byOutcome.noise,
        w.fitted ? '' : 'kept',
      ]),
    ),
  );
  const b = r.crossValidated.before;
  const a = r.crossValidated.after;
  out.push(`Cross-validated over ${r.crossValidated.folds} folds of these outcomes (before: live v${r.fromVersion}; after: fitted on the other folds):`);
  out.push(
    table(
      ['measure', 'before', 'after'],
      [
        [`urgent in the top 2×urgent (${2 * o.urgent})`, pct(b.urgentInTopTwiceUrgent), pct(a.urgentInTopTwiceUrgent)],
        ['noise in the top 10%', pct(b.noiseInTop10Percent), pct(a.noiseInTop10Percent)],
      ],
    ),
  );
  for (const note of r.notes) out.push(`Note: ${note}`);
  out.push(
    r.draftVersion === null
      ? 'No draft stored.'
      : `Stored as draft version ${r.draftVersion}. Next: \`bantay rules export --version ${r.draftVersion}\` to read it, \`bantay rules promote ${r.draftVersion} --to shadow\` to score it beside the live queue, then \`--to live\`.`,
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

const QUEUE_STATUSES: string[] = ['open', 'all', ...STATUSES];
const SORTS = ['priority', 'received_desc', 'received_asc'] as const;
type Sort = (typeof SORTS)[number];

/** `bantay score`, `bantay queue`, `bantay score-of`, `bantay rules …`, `bantay suspects`. */
export function registerTriageCommands(program: Command): void {
  program
    .command('score')
    .alias('triage')
    .description('score reports with the live ruleset (incremental: new or changed reports and their subjects)')
    .option('--all', 're-score every report (after a ruleset change, or daily so that time rules follow the clock)')
    .option('--as-of <time>', 'score as if it were this time (for generated or historical data)', asOf)
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { all?: boolean; asOf?: Date; json?: boolean }, cmd: Command) => {
      const { scoreReports } = await import('../../triage/rescore.ts');
      const s = await withStore(cmd, (store) => scoreReports(store, { all: opts.all === true, ...(opts.asOf ? { now: opts.asOf } : {}) }));
      if (opts.json) return printJson(s);
      const tiers = Object.entries(s.tiers)
        .map(([t, n]) => `${t} ${n}`)
        .join(', ');
      process.stdout.write(
        `Scored ${s.scored} report(s) with ruleset v${s.rulesetVersion}${s.shadowVersion !== null ? ` (shadow v${s.shadowVersion} beside it)` : ''} in ${(s.ms / 1000).toFixed(1)} s${tiers ? `: ${tiers}` : ''}. Features computed for ${s.featuresComputed} report(s)${s.featureErrors ? `, ${s.featureErrors} unreadable (scored as unknown)` : ''}.\n`,
      );
    });

  program
    .command('queue')
    .description('the work queue in priority order, with the reasons of each score (the same reader, filters and order as the web app)')
    .option('--limit <n>', 'how many (a number or "all")', limitOption, 50)
    .option('--offset <n>', 'skip this many', positiveInt('--offset'), 0)
    .option('--tier <tier>', 'only this tier of the live ruleset (IMMEDIATE, HIGH, STANDARD, LOW, NOISE, PAUSED)')
    .option('--esp <name>', 'only this ESP')
    .option('--incident-type <type>', 'only this incident type')
    .option('--province <code>', 'only these provinces (PSGC codes or names, comma-separated)')
    .option('--annotation <name>', 'only reports with this annotation')
    .option('--status <status>', 'open (default: not closed), all, or one status (new, in_review, escalated, referred, closed)')
    .option('--assigned <who>', 'none, any or a user id')
    .option('--include-paused', 'also the reports an active case holds, after every other (else only under --tier PAUSED)')
    .option('--sort <order>', 'priority (default), received_desc or received_asc')
    .option('--json', 'print as JSON')
    .action(
      async (
        opts: {
          limit: number | 'all';
          offset: number;
          tier?: string;
          esp?: string;
          incidentType?: string;
          province?: string;
          annotation?: string;
          status?: string;
          assigned?: string;
          includePaused?: boolean;
          sort?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const { checkQueueQuery, readQueue } = await import('../../cases/queue.ts');
        if (opts.status !== undefined && !QUEUE_STATUSES.includes(opts.status))
          throw badInput('BAD_OPTION', `unknown status "${opts.status}"; valid: ${QUEUE_STATUSES.join(', ')}`);
        if (opts.sort !== undefined && !SORTS.includes(opts.sort as Sort))
          throw badInput('BAD_OPTION', `unknown sort "${opts.sort}"; valid: ${SORTS.join(', ')}`);
        if (opts.assigned !== undefined && !/^(none|any|\d{1,9})$/.test(opts.assigned))
          throw badInput('BAD_OPTION', `unknown --assigned "${opts.assigned}"; valid: none, any, a user id`);
        const page = await withStore(
          cmd,
          async (store) => {
            const q = await checkQueueQuery(store, {
              ...(opts.tier !== undefined ? { tier: opts.tier } : {}),
              ...(opts.esp !== undefined ? { esp: opts.esp } : {}),
              ...(opts.incidentType !== undefined ? { incidentType: opts.incidentType } : {}),
              ...(opts.province !== undefined ? { province: opts.province } : {}),
              ...(opts.annotation !== undefined ? { annotation: opts.annotation } : {}),
              ...(opts.status !== undefined ? { status: opts.status } : {}),
              ...(opts.assigned !== undefined ? { assigned: opts.assigned } : {}),
              ...(opts.includePaused ? { includePaused: true } : {}),
              ...(opts.sort !== undefined ? { sort: opts.sort as Sort } : {}),
            });
            return readQueue(store, { ...q, limit: opts.limit === 'all' ? 10_000_000 : opts.limit, offset: opts.offset });
          },
          { quick: true },
        );
        if (opts.json) {
          return printJson(
            page.items.map((i) => ({
              reportId: i.reportId,
              tier: i.tier,
              firstInTier: i.firstInTier,
              harm: i.harm,
              actionability: i.actionability,
              score: i.score,
              status: i.status,
              preservationDeadline: i.preservationDeadline,
              reasons: i.reasons.map((r) => ({ rule: r.rule, effect: r.effect, evidence: r.evidence })),
            })),
          );
        }
        if (page.items.length === 0)
          return void process.stdout.write(
            page.total === 0 ? 'No report matches (an empty database? run `bantay ingest`, then `bantay score`).\n' : 'No reports on this page.\n',
          );
        process.stdout.write(
          `${table(
            ['#', 'report', 'tier', 'score', 'harm', 'act.', 'preserve by', 'top reasons'],
            page.items.map((i, k) => [
              opts.offset + k + 1,
              i.reportId,
              // A child at immediate risk stands ahead of higher scores: say why the order jumps.
              i.firstInTier ? `${i.tier}, first` : i.tier,
              i.score,
              i.harm,
              i.actionability,
              i.preservationDeadline?.slice(0, 10),
              i.reasons
                .filter((r) => !r.effect.includes('-'))
                .slice(0, 3)
                .map((r) => r.rule)
                .join(', '),
            ]),
          )}\n${page.items.length} of ${page.total}.\n`,
        );
      },
    );

  program
    .command('why-score')
    .description("a report's score: every rule that fired, its source, contribution and evidence")
    .argument('<report>', 'report id')
    .option('--json', 'print as JSON')
    .action(async (report: string, opts: { json?: boolean }, cmd: Command) => {
      const { reportScore } = await import('../../triage/queue.ts');
      const s = await withStore(cmd, (store) => reportScore(store, report), { quick: true });
      if (!s) throw notFound('NOT_FOUND', `report ${report} has no score (run \`bantay score\`)`);
      if (opts.json) return printJson(s);
      process.stdout.write(
        `Report ${s.reportId}: ${s.tier}, score ${s.score} (harm ${s.harm}, actionability ${s.actionability}), place ${s.position} in the queue; ruleset v${s.rulesetVersion}.\n`,
      );
      process.stdout.write(
        `${table(
          ['rule', 'effect', 'evidence', 'source'],
          s.reasons.map((r) => [r.rule, r.effect, r.evidence, r.source]),
        )}\n`,
      );
    });

  const rules = program.command('rules').description('the triage ruleset: versions, export, import, test, calibrate, shadow, live, rollback');

  rules
    .command('list')
    .description('every ruleset version and its status')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { rulesetVersions } = await import('../../triage/rulesets.ts');
      const rows = await withStore(cmd, (store) => rulesetVersions(store), { quick: true });
      if (json(opts, cmd)) return printJson(rows);
      process.stdout.write(
        `${table(
          ['version', 'name', 'status', 'created', 'live since', 'comment'],
          rows.map((r) => [r.version, r.name, r.status, r.createdAt, r.liveAt, r.comment]),
        )}\n`,
      );
    });

  rules
    .command('export')
    .description('print a ruleset version as JSON (the live one by default)')
    .option('--version <n>', 'which version', positiveInt('--version'))
    .action(async (opts: { version?: number }, cmd: Command) => {
      const { exportRuleset } = await import('../../triage/rulesets.ts');
      process.stdout.write(await withStore(cmd, (store) => exportRuleset(store, opts.version), { quick: true }));
    });

  rules
    .command('import')
    .description('validate a ruleset file and store it as a new version (draft unless --shadow or --live)')
    .argument('<file>', 'ruleset JSON')
    .option('--shadow', 'score it beside the live ruleset (analysts see no change)')
    .option('--live', 'make it live and re-score every report')
    .option('--comment <text>', 'why')
    .option('--json', 'print the result as JSON')
    .action(async (file: string, opts: { shadow?: boolean; live?: boolean; comment?: string; json?: boolean }, cmd: Command) => {
      const { importRuleset, setStatus } = await import('../../triage/rulesets.ts');
      const text = readFileSync(file, 'utf8');
      const status: RulesetStatus = opts.live ? 'live' : opts.shadow ? 'shadow' : 'draft';
      const r = await withStore(cmd, async (store) => {
        const imported = await importRuleset(store, text, { status: 'draft', ...(opts.comment ? { comment: opts.comment } : {}) });
        const summary = status === 'draft' ? null : await setStatus(store, imported.version, status);
        return { ...imported, status: status === 'draft' ? imported.status : status, summary };
      });
      if (json(opts, cmd)) return printJson(r);
      process.stdout.write(
        `${r.existing ? 'Already stored as' : 'Stored as'} version ${r.version} (${r.status}).${r.summary ? ` Re-scored ${r.summary.scored} report(s).` : ''}\n`,
      );
    });

  rules
    .command('test')
    .description('score the stored reports with a candidate ruleset and show how the queue would change (nothing is written)')
    .argument('<file>', 'ruleset JSON')
    .option('--as-of <time>', 'score as if it were this time', asOf)
    .option('--threshold <places>', 'a report counts as moved when its place changes by more than this (default: 1% of the queue)', positiveInt('--threshold'))
    .option('--json', 'print as JSON')
    .action(async (file: string, opts: { asOf?: Date; threshold?: number; json?: boolean }, cmd: Command) => {
      const { testRuleset } = await import('../../triage/rulesets.ts');
      const text = readFileSync(file, 'utf8');
      const c = await withStore(cmd, (store) =>
        testRuleset(store, text, { ...(opts.asOf ? { now: opts.asOf } : {}), ...(opts.threshold !== undefined ? { threshold: opts.threshold } : {}) }),
      );
      if (json(opts, cmd)) return printJson(c);
      process.stdout.write(
        `Compared with the live queue (ruleset v${c.liveVersion}, ${c.before === 'stored' ? 'its stored scores' : 'scored now: nothing stored yet'}):\n`,
      );
      printChange(c);
    });

  rules
    .command('shadow')
    .description("the shadow ruleset's differences from the live queue (from the last scoring run)")
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { shadowDiff } = await import('../../triage/rulesets.ts');
      const d = await withStore(cmd, (store) => shadowDiff(store));
      if (json(opts, cmd)) return printJson(d);
      if (!d) return void process.stdout.write('No shadow ruleset (import one with --shadow, or `bantay rules promote N --to shadow`).\n');
      process.stdout.write(`Shadow v${d.shadowVersion} against live v${d.liveVersion}:\n`);
      printChange(d);
    });

  rules
    .command('promote')
    .description('move a version to shadow or live (re-scores every report) or back to draft')
    .argument('<version>', 'ruleset version', positiveInt('version'))
    .requiredOption('--to <status>', 'draft, shadow or live')
    .action(async (version: number, opts: { to: string }, cmd: Command) => {
      const { setStatus } = await import('../../triage/rulesets.ts');
      if (!['draft', 'shadow', 'live'].includes(opts.to)) throw badInput('BAD_OPTION', '--to must be draft, shadow or live');
      const s = await withStore(cmd, (store) => setStatus(store, version, opts.to as RulesetStatus));
      process.stdout.write(`Version ${version} is ${opts.to}.${s ? ` Re-scored ${s.scored} report(s).` : ''}\n`);
    });

  rules
    .command('calibrate')
    .description("fit the live ruleset's weights to past outcomes and store them as a draft (goes live only through shadow and live)")
    .option('--outcomes <file>', 'CSV of reportId,outcome (urgent, actionable, no-action, noise); default: the decisions recorded in case work')
    .option('--folds <n>', 'cross-validation folds', positiveInt('--folds'), 5)
    .option('--min-support <n>', 'a rule applied to fewer labelled reports keeps its weight', positiveInt('--min-support'), 20)
    .option('--l2 <x>', 'pull towards the published weights (L2, in logits)', nonNegative('--l2'), 1)
    .option('--max-factor <x>', 'a weight may grow to this many times its size', nonNegative('--max-factor'), 2)
    .option('--keep-protective <x>', 'a rule that raises harm keeps at least this share of its weight', nonNegative('--keep-protective'), 0.5)
    .option('--as-of <time>', "score as if it were this time (default: the newest report's receipt)", asOf)
    .option('--comment <text>', 'why')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        opts: {
          outcomes?: string;
          folds: number;
          minSupport: number;
          l2: number;
          maxFactor: number;
          keepProtective: number;
          asOf?: Date;
          comment?: string;
          json?: boolean;
        },
        cmd: Command,
      ) => {
        const { calibrate, parseOutcomes } = await import('../../triage/calibrate.ts');
        const file: OutcomeFile | undefined = opts.outcomes ? parseOutcomes(readFileSync(opts.outcomes, 'utf8')) : undefined;
        const r = await withStore(cmd, (store) =>
          calibrate(store, file?.outcomes, {
            folds: opts.folds,
            minSupport: opts.minSupport,
            l2: opts.l2,
            maxFactor: opts.maxFactor,
            keepProtective: opts.keepProtective,
            ...(opts.asOf ? { now: opts.asOf } : {}),
            ...(opts.comment ? { comment: opts.comment } : {}),
          }),
        );
        if (json(opts, cmd)) return printJson({ ...r, rejected: file?.rejected ?? [] });
        printCalibration(r, file);
      },
    );

  rules
    .command('rollback')
    .description('make the previous live version live again and re-score every report')
    .action(async (_opts: unknown, cmd: Command) => {
      const { rollback } = await import('../../triage/rulesets.ts');
      const r = await withStore(cmd, (store) => rollback(store));
      process.stdout.write(`Rolled back from v${r.from} to v${r.to}; re-scored ${r.summary.scored} report(s).\n`);
    });

  program
    .command('suspects')
    .description('subjects ranked by danger over their reports, with reasons')
    .option('--limit <n>', 'how many', positiveInt('--limit'), 20)
    .option('--json', 'print as JSON')
    .action(async (opts: { limit: number; json?: boolean }, cmd: Command) => {
      const { rankSuspects } = await import('../../triage/suspects.ts');
      const list = await withStore(cmd, (store) => rankSuspects(store, { limit: opts.limit }), { quick: true });
      if (opts.json) return printJson(list);
      if (list.length === 0) return void process.stdout.write('No subjects (run `bantay link`).\n');
      process.stdout.write(
        `${table(
          ['subject', 'tier', 'score', 'reports', 'esps', 'reasons'],
          list.map((s) => [s.subjectId, s.tier, s.score, s.reports.length, s.esps.join(', '), s.reasons.map((r) => r.rule).join(', ')]),
        )}\n`,
      );
    });
}
