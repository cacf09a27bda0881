import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { GENERATE_FORMATS, WORLD_NAMES, type GenerateFormat } from '../../synth/names.ts';
import { ADVERSARIAL_WORLD } from '../../synth/worlds/adversarial.ts';
import type { WorldQuality } from '../../evaluate/quality.ts';
import type { Evaluation } from '../../evaluate/evaluate.ts';
import { serveUntilStopped } from './serve.ts';
import { DEMO_DATA_DIR } from '../../demo/folder.ts';
import { formatIngestSummary } from './ingest.ts';
import { commandName, positiveInt, printJson, table, withStore, type GlobalOptions } from '../context.ts';
import { badInput } from '../../model/error.ts';

const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The evaluation in words. */
export function formatEvaluation(e: Evaluation): string {
  const c = e.coverage;
  const q = e.queue;
  return [
    `Coverage: ${c.found} of ${c.truthReports} truth reports are in the database (${c.missing} missing, ${c.notInTruth} not in the truth); versions agree for ${c.versionsAgree}, differ for ${c.versionsDisagree}.`,
    `Queue (${q.order}):`,
    `  urgent reports in the queue        ${q.urgentInQueue}`,
    `  urgent recall in the top |urgent|  ${pct(q.urgentRecallAtUrgentCount)}`,
    `  urgent recall in the top 1%        ${pct(q.urgentRecallTop1Percent)}`,
    `  urgent recall in the top 10%       ${pct(q.urgentRecallTop10Percent)}`,
    `  noise in the top 10%               ${pct(q.noiseShareTop10Percent)}   (noise overall ${pct(q.noiseShareOverall)})`,
    `Subjects (pairwise precision/recall/F1): ${e.subjects ? `${pct(e.subjects.precision)} / ${pct(e.subjects.recall)} / ${pct(e.subjects.f1)}` : 'not measured (no links yet: run `bantay link`)'}`,
    `False links per trap type: ${e.falseLinksPerTrap ? JSON.stringify(e.falseLinksPerTrap) : 'not measured (no links yet: run `bantay link`)'}`,
    ...e.notes.map((n) => `Note: ${n}`),
  ].join('\n');
}

async function generateBar(enabled: boolean): Promise<{ update(done: number, total: number): void; stop(): void }> {
  if (!enabled || !process.stderr.isTTY) return { update() {}, stop() {} };
  const { default: cliProgress } = await import('cli-progress');
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: ' generating {bar} {value}/{total} reports | ETA {eta_formatted}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}

/** `bantay generate`, `bantay demo`, `bantay evaluate`. */
export function registerSynthCommands(program: Command): void {
  program
    .command('generate')
    .description('write a deterministic synthetic CyberTipline stream with planted ground truth')
    .option('--out <dir>', 'output folder (reports/, transactions.csv and truth.json in it are replaced); required unless --print-world')
    .option('--reports <n>', 'number of distinct reports', positiveInt('--reports'), 10_000)
    .option('--seed <n>', 'random seed: the same seed gives the same bytes', positiveInt('--seed'), 1)
    .option('--days <n>', 'days the stream spans', positiveInt('--days'), 30)
    .option('--transactions <n>', 'rows of transactions.csv (default: half the reports)', positiveInt('--transactions'))
    .option('--start <date>', 'first day of the stream (ISO date)', '2026-01-01')
    .option('--params <file>', 'JSON file overriding generator parameters (docs/generator.md)')
    .option('--world <world>', `${WORLD_NAMES.join(' or ')} (docs/generator.md "Worlds"), or a world JSON file`, 'standard')
    .option('--print-world', 'print the adversarial world file as JSON (a starting point for your own --world FILE) and stop')
    .addOption(
      new Option('--format <format>', 'report files as XML, as LE JSON (docs/lejson.md), or both (LE JSON in reports-lejson/)')
        .choices(GENERATE_FORMATS)
        .default('xml'),
    )
    .option('--json', 'print the result as JSON')
    .action(
      async (opts: {
        out?: string;
        reports: number;
        seed: number;
        days: number;
        transactions?: number;
        start: string;
        params?: string;
        world: string;
        printWorld?: boolean;
        format: GenerateFormat;
        json?: boolean;
      }) => {
        const { generate, loadParams, resolveWorld } = await import('../../synth/generate.ts');
        if (opts.printWorld) return void process.stdout.write(`${JSON.stringify(ADVERSARIAL_WORLD, null, 2)}\n`);
        if (!opts.out) throw badInput('BAD_OPTION', "required option '--out <dir>' not specified");
        const out = opts.out;
        const world = resolveWorld(opts.world);
        const params = opts.params ? loadParams(JSON.parse(readFileSync(opts.params, 'utf8'))) : undefined;
        const bar = await generateBar(!opts.json);
        const t0 = performance.now();
        const result = await generate({
          reports: opts.reports,
          seed: opts.seed,
          out,
          days: opts.days,
          start: opts.start,
          format: opts.format,
          world,
          ...(opts.transactions !== undefined ? { transactions: opts.transactions } : {}),
          ...(params ? { params } : {}),
          onProgress: (done, total) => bar.update(done, total),
        });
        bar.stop();
        const secs = (performance.now() - t0) / 1000;
        if (opts.json) return printJson({ ...result, files: result.files.length, seconds: secs });
        process.stdout.write(
          `Wrote ${result.reports} reports in ${result.files.length} files (${(result.bytes / 1e6).toFixed(1)} MB) and ${result.transactions} transactions in ${secs.toFixed(1)} s.\n` +
            `  truth:        ${result.truthPath}\n  transactions: ${result.transactionsPath}\n` +
            (opts.format === 'both' ? `  LE JSON:      ${result.leJsonDir}\n` : '') +
            result.hashLists.map((l) => `  hash list:    ${l}  (bantay hashlist import ${l} --name identified-series, before ingesting)\n`).join('') +
            `Next: bantay ingest ${out}/reports && bantay evaluate --truth ${result.truthPath}\n`,
        );
      },
    );

  program
    .command('demo')
    .description(
      `generate a demo stream with payments, ingest it into a fresh embedded database (${DEMO_DATA_DIR} unless --data), run every stage, then serve the web app`,
    )
    .option('--reports <n>', 'number of reports', positiveInt('--reports'), 20_000)
    .option('--seed <n>', 'random seed', positiveInt('--seed'), 1)
    .option('--port <n>', 'port of the web app (default: server.port, 8080)', positiveInt('--port'))
    .option('--no-serve', 'stop after the summary instead of serving the web app')
    .option('--json', 'print the result as JSON (implies --no-serve)')
    .action(async (opts: { reports: number; seed: number; port?: number; serve: boolean; json?: boolean }, cmd: Command) => {
      const { formatTriageQuality } = await import('../../evaluate/triage-quality.ts');
      const { formatPaymentsQuality } = await import('../../evaluate/payments-quality.ts');
      const { runDemo } = await import('../../demo/demo.ts');
      const { ingestProgressBar } = await import('../progress.ts');
      const data = cmd.optsWithGlobals<GlobalOptions>().data ?? DEMO_DATA_DIR;
      const gen = await generateBar(!opts.json);
      let ingestBar: ReturnType<typeof ingestProgressBar> | undefined;
      const say = (line: string): void => {
        if (!opts.json && process.stderr.isTTY) process.stderr.write(`  ${line}…\n`);
      };
      const r = await runDemo({
        dataDir: data,
        reports: opts.reports,
        seed: opts.seed,
        onGenerate: (done, total) => gen.update(done, total),
        onStage: (stage) => {
          if (stage === 'ingesting') {
            gen.stop();
            ingestBar = ingestProgressBar(0, !opts.json);
            return;
          }
          ingestBar?.stop();
          say(stage);
        },
        onIngest: (p) => ingestBar?.update(p),
      });
      ingestBar?.stop();
      if (opts.json) return printJson(r);
      const s = r.stats;
      const p = r.processed;
      const time = (...stages: string[]): string => `${(p.timings.filter((t) => stages.includes(t.stage)).reduce((n, t) => n + t.ms, 0) / 1000).toFixed(1)} s`;
      const again = commandName();
      const out = [
        `Bantay demo: ${s.reports} synthetic reports in ${r.dataDir} (generated in ${r.generateSeconds.toFixed(1)} s).`,
        formatIngestSummary(r.ingest),
        `Hash signals (${time('hash-files', 'hash-signals')}): ${Object.entries(p.hashes.novelty)
          .sort()
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')}.`,
        `Identifiers, enrichment and links (${time('identifiers', 'link-evidence', 'subjects')}): ${p.link.identifiers} identifiers, ${p.link.subjects} subjects holding ${p.link.reportsInSubjects} reports, ${p.link.hubs} hub values blocked.`,
        `Payments: ${r.payments.transactions} transactions, ${r.payments.alerts} alerts, ${r.payments.subjectsFlagged} subjects receiving or sending flagged payments.`,
        `Triage (${time('features', 'scores')}, ruleset v${p.scores.rulesetVersion}, as of ${r.asOf}): ${Object.entries(p.scores.tiers)
          .sort()
          .map(([k, v]) => `${v} ${k}`)
          .join(', ')}.`,
        '',
        `Queue summary: ${s.referral} referrals, ${s.informational} informational, ${s.batched} in viral/meme batches, ${s.escalated} escalated by the ESP, ${s.quarantined} quarantined.`,
        'Top of the queue:',
        table(
          ['report', 'tier', 'harm', 'act.', 'incident type', 'why'],
          r.top.map((t) => [
            t.reportId,
            t.tier,
            t.harm,
            t.actionability,
            t.incidentType.slice(0, 30),
            t.reasons
              .slice(0, 2)
              .map((x) => x.description ?? x.rule)
              .join('; ')
              .slice(0, 70),
          ]),
        ),
        '',
        formatEvaluation(r.evaluation),
        formatTriageQuality(r.evaluation.triage),
        formatPaymentsQuality(r.evaluation.payments),
        '',
        'Look around:',
        `  ${again} --data ${data} queue --limit 20`,
        `  ${again} --data ${data} report ${r.top[0]?.reportId ?? 'ID'}`,
        `  ${again} --data ${data} suspects --limit 10`,
        `  ${again} --data ${data} payments alerts --limit 10`,
        `  ${again} --data ${data} evaluate --truth ${r.streamDir}/truth.json`,
        `  ${again} --data ${data} serve`,
      ];
      process.stdout.write(`${out.join('\n')}\n`);
      if (!opts.serve) {
        process.stdout.write(`\nDemo analyst: ${r.analyst.username} / ${r.analyst.password}\n`);
        return;
      }
      const { config } = await import('../../config/current.ts');
      // The demo serves this machine only, whatever server.host says: its analyst's password is printed above.
      await serveUntilStopped({ backend: 'embedded', dataDir: r.dataDir }, { port: opts.port ?? config().server.port, host: '127.0.0.1' }, (url) => {
        process.stdout.write(`\nThe web app is at ${url}  (sign in as ${r.analyst.username}, password ${r.analyst.password}; Ctrl-C stops it)\n`);
      });
    });

  program
    .command('evaluate')
    .description('measure the current database against a generator truth file, or build both worlds and show them side by side')
    .option('--truth <file>', 'truth.json written by bantay generate (measures the current database)')
    .option(
      '--worlds <dir>',
      'build (or reuse) the standard and the adversarial world under DIR, each in its own embedded database, and print them side by side',
    )
    .option('--reports <n>', 'with --worlds: reports per world', positiveInt('--reports'), 20_000)
    .option('--seed <n>', 'with --worlds: random seed', positiveInt('--seed'), 1)
    .option('--fresh', 'with --worlds: build again even if DIR holds matching builds')
    .option('--payments', 'with --worlds: also load transactions.csv and score payments (as bantay demo does)')
    .option('--json', 'print as JSON')
    .action(
      async (opts: { truth?: string; worlds?: string; reports: number; seed: number; fresh?: boolean; payments?: boolean; json?: boolean }, cmd: Command) => {
        const { formatWorlds } = await import('../../evaluate/quality.ts');
        const { buildWorld, measureWorld } = await import('../../evaluate/worlds.ts');
        const { evaluate } = await import('../../evaluate/evaluate.ts');
        const { readTruth } = await import('../../evaluate/truth-file.ts');
        const { formatTriageQuality, triageQuality } = await import('../../evaluate/triage-quality.ts');
        const { formatPaymentsQuality, paymentsQuality, paymentsTruthOf } = await import('../../evaluate/payments-quality.ts');
        if (opts.worlds) {
          const dir = opts.worlds;
          const say = (line: string): void => {
            if (!opts.json && process.stderr.isTTY) process.stderr.write(`  ${line}…\n`);
          };
          const qs: WorldQuality[] = [];
          for (const world of WORLD_NAMES) {
            say(`${world} world`);
            const b = await buildWorld({
              world,
              reports: opts.reports,
              seed: opts.seed,
              dir: `${dir}/${world}`,
              ...(opts.fresh ? { fresh: true } : {}),
              ...(opts.payments ? { payments: true } : {}),
              onStage: say,
            });
            qs.push(await measureWorld(b));
          }
          if (opts.json) return printJson(qs);
          return void process.stdout.write(`${formatWorlds(qs)}\n`);
        }
        if (!opts.truth) throw badInput('BAD_OPTION', 'give --truth FILE (measure the current database) or --worlds DIR (build and compare both worlds)');
        const truth = readTruth(opts.truth);
        const paymentsTruth = paymentsTruthOf(JSON.parse(readFileSync(opts.truth, 'utf8')));
        const e = await withStore(cmd, async (s) => ({
          ...(await evaluate(s.db, truth)),
          triage: await triageQuality(s, truth),
          payments: paymentsTruth ? await paymentsQuality(s.db, paymentsTruth) : null,
        }));
        if (opts.json) return printJson(e);
        const q: WorldQuality = { world: truth.world ?? 'standard', reports: Object.keys(truth.reports).length, evaluation: e, triage: e.triage };
        process.stdout.write(
          `${formatEvaluation(e)}\n${formatTriageQuality(e.triage)}\n${e.payments ? `${formatPaymentsQuality(e.payments)}\n` : ''}\nIssue 17 measures:\n${formatWorlds([q])}\n`,
        );
      },
    );
}
