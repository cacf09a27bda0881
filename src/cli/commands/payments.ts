import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { positiveInt, printJson, table, withStore } from '../context.ts';

// `payments` has no --json of its own, but read the parent's too in case one is added.
function json(opts: { json?: boolean }, cmd: Command): boolean {
  return opts.json === true || cmd.parent?.opts<{ json?: boolean }>().json === true;
}

/** `bantay payments …`: ingest transactions, score, alerts, set-aside rows, money flow, rates. */
export function registerPaymentCommands(program: Command): void {
  const payments = program.command('payments').description('payment records: ingest, score payers and receivers, join them to the reports (docs/payments.md)');

  payments
    .command('ingest')
    .description('load transaction files (CSV or JSON Lines, ../shared/spec/transactions.md); idempotent by provider and txn_id; bad rows are set aside')
    .argument('<files...>', 'transaction files')
    .option('--rates <file>', 'replace the rate table with this CSV (currency,php[,as_of]) before loading')
    .option('--no-process', 'only store the transactions; do not score payments, join them to subjects and re-score now')
    .option('--json', 'print the summary as JSON')
    .action(async (files: string[], opts: { rates?: string; process: boolean; json?: boolean }, cmd: Command) => {
      const { parseRatesCsv } = await import('../../ingest/transactions/rates.ts');
      const { ingestTransactionFiles } = await import('../../ingest/transactions/run.ts');
      const { processNew } = await import('../../pipeline/process.ts');
      const rates = opts.rates ? parseRatesCsv(readFileSync(opts.rates, 'utf8'), opts.rates) : undefined;
      const { s, processed } = await withStore(cmd, async (store) => {
        const loaded = await ingestTransactionFiles(store, files, rates ? { rates } : {});
        // Scoring and the join are derived work (storing the transactions marked them stale): alerts are ready when the command ends.
        const done = opts.process && loaded.loaded > 0 ? await processNew(store) : undefined;
        return { s: loaded, processed: done };
      });
      if (json(opts, cmd)) return printJson(processed ? { ...s, processed } : s);
      for (const f of s.files)
        process.stdout.write(`${f.path}: ${f.records} record(s), ${f.loaded} new, ${f.alreadyStored} already stored, ${f.rejected} set aside\n`);
      process.stdout.write(
        `Loaded ${s.loaded} of ${s.records} record(s) in ${(s.ms / 1000).toFixed(1)} s (rates as of ${s.rates.asOf}, ${s.rates.source})${s.rejected ? `; ${s.rejected} set aside: bantay payments rejected` : ''}\n`,
      );
      if (processed?.paymentScores) {
        const a = processed.paymentScores.alerts;
        process.stdout.write(
          `Scored ${processed.paymentScores.parties} part(ies): ${a.receivers} receiver and ${a.senders} sender alert(s) (bantay payments alerts)${processed.payments ? `; ${processed.payments.subjectsFlagged} subject(s) flagged` : ''}\n`,
        );
      }
    });

  payments
    .command('score')
    .description('resolve parties and score every payer and receiver (then join them to the linked reports)')
    .option('--no-join', 'score only; do not join parties to reports and subjects')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { join: boolean; json?: boolean }, cmd: Command) => {
      const { joinPaymentsToSubjects } = await import('../../payments/join.ts');
      const { scorePayments } = await import('../../payments/run.ts');
      const r = await withStore(cmd, async (store) => ({ score: await scorePayments(store), join: opts.join ? await joinPaymentsToSubjects(store) : null }));
      if (json(opts, cmd)) return printJson(r);
      const s = r.score;
      process.stdout.write(
        `Scored ${s.transactions} transaction(s), ${s.parties} part(ies): ${s.alerts.receivers} receiver and ${s.alerts.senders} sender alert(s) in ${(s.ms / 1000).toFixed(1)} s\n`,
      );
      if (r.join)
        process.stdout.write(`Joined: ${r.join.partiesOnReports} part(ies) on ${r.join.reports} report(s); ${r.join.subjectsFlagged} subject(s) flagged\n`);
    });

  payments
    .command('join')
    .description('join scored parties to the linked reports and flag their subjects (run after bantay link)')
    .option('--json', 'print the summary as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { joinPaymentsToSubjects } = await import('../../payments/join.ts');
      const r = await withStore(cmd, (store) => joinPaymentsToSubjects(store));
      if (json(opts, cmd)) return printJson(r);
      process.stdout.write(`Joined: ${r.partiesOnReports} part(ies) on ${r.reports} report(s); ${r.subjectsFlagged} subject(s) flagged\n`);
    });

  payments
    .command('alerts')
    .description('flagged payers and receivers, highest score first, with their reasons')
    .option('--limit <n>', 'at most this many', positiveInt('--limit'), 100)
    .option('--json', 'print [{ party, role, score, reasons, label, country, keys, customers }]')
    .action(async (opts: { limit: number; json?: boolean }, cmd: Command) => {
      const { listAlerts } = await import('../../payments/run.ts');
      const rows = await withStore(cmd, (store) => listAlerts(store, opts.limit));
      if (json(opts, cmd)) return printJson(rows);
      if (rows.length === 0) return void process.stdout.write('No alerts.\n');
      for (const a of rows) {
        process.stdout.write(`${a.score.toFixed(1).padStart(5)}  ${a.role.padEnd(8)} ${a.party}  ${a.label}${a.country ? ` (${a.country})` : ''}\n`);
        for (const r of a.reasons)
          process.stdout.write(`         ${r.points === null ? '  cap' : `${r.points > 0 ? '+' : ''}${r.points}`.padStart(5)} ${r.why} [${r.evidence}]\n`);
      }
    });

  payments
    .command('rejected')
    .description('rows set aside by ingest, with file, line and reason')
    .option('--limit <n>', 'at most this many', positiveInt('--limit'), 1000)
    .option('--json', 'print as JSON')
    .action(async (opts: { limit: number; json?: boolean }, cmd: Command) => {
      const { listRejects } = await import('../../store/payments.ts');
      const rows = await withStore(cmd, (store) => listRejects(store.db, opts.limit));
      if (json(opts, cmd)) return printJson(rows);
      process.stdout.write(
        rows.length
          ? `${table(
              ['file', 'line', 'reason'],
              rows.map((r) => [r.source, r.line, r.reason]),
            )}\n`
          : 'No rows set aside.\n',
      );
    });

  payments
    .command('flow')
    .description('the money flow of a subject: who paid its parties and whom they paid (amounts and dates)')
    .argument('<subject>', 'subject id (S-<report>)')
    .option('--json', 'print { nodes, edges }')
    .action(async (subject: string, opts: { json?: boolean }, cmd: Command) => {
      const { subjectMoneyFlow } = await import('../../payments/join.ts');
      const f = await withStore(cmd, (store) => subjectMoneyFlow(store, subject));
      if (json(opts, cmd)) return printJson(f);
      if (f.nodes.length === 0) return void process.stdout.write(`No payments reach subject ${subject}.\n`);
      const label = new Map(f.nodes.map((n) => [n.id, `${n.label}${n.flagged ? ' [flagged]' : ''}`]));
      process.stdout.write(
        `${table(
          ['from', 'to', 'amount', 'count', 'first', 'last'],
          f.edges.map((e) => [label.get(e.from), label.get(e.to), `${e.amount} ${e.currency}`, e.count, e.first.slice(0, 10), e.last.slice(0, 10)]),
        )}\n`,
      );
    });

  payments
    .command('rates')
    .description('the rate table in use (PHP for one unit); --load FILE replaces it, --reset goes back to the built-in one')
    .option('--load <file>', 'CSV: currency,php[,as_of]')
    .option('--reset', 'use the built-in planning values again')
    .option('--json', 'print as JSON')
    .action(async (opts: { load?: string; reset?: boolean; json?: boolean }, cmd: Command) => {
      const { parseRatesCsv } = await import('../../ingest/transactions/rates.ts');
      const { ratesInUse } = await import('../../ingest/transactions/run.ts');
      const { replaceRates } = await import('../../store/payments.ts');
      const t = await withStore(cmd, async (store) => {
        if (opts.load) await replaceRates(store, parseRatesCsv(readFileSync(opts.load, 'utf8'), opts.load));
        else if (opts.reset) await replaceRates(store, { rates: new Map(), asOf: '', source: '' });
        return ratesInUse(store);
      });
      if (json(opts, cmd)) return printJson({ asOf: t.asOf, source: t.source, rates: Object.fromEntries(t.rates) });
      process.stdout.write(`Rates as of ${t.asOf} (${t.source}); ${t.rates.size} currencies. Amounts already stored keep the rate they were loaded with.\n`);
      process.stdout.write(
        `${table(
          ['currency', 'PHP per unit'],
          [...t.rates].sort(([a], [b]) => a.localeCompare(b)).map(([c, r]) => [c, r]),
        )}\n`,
      );
    });

  payments
    .command('status')
    .description('counts: transactions, set-aside rows, parties, alerts')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }, cmd: Command) => {
      const { paymentCounts } = await import('../../store/payments.ts');
      const c = await withStore(cmd, (store) => paymentCounts(store.db));
      if (json(opts, cmd)) return printJson(c);
      process.stdout.write(`${c.txns} transaction(s), ${c.rejects} set aside, ${c.parties} part(ies), ${c.alerts} alert(s)\n`);
    });
}
