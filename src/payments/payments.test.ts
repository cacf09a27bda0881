// The payments stage on both backends: ingest (CSV and JSON Lines, idempotent, bad rows set aside
// with line and reason, rate table), scoring, the join to a linked report through a phone written
// another way, the subject flags triage reads, the money flow, and the CLI.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testBackends } from '../../test/support/stores.ts';
import { runCli } from '../../test/support/cli.ts';
import { repoRoot } from '../../test/support/shared.ts';
import { ingestPaths } from '../ingest/run.ts';
import { ingestTransactionFiles } from '../ingest/transactions/run.ts';
import { parseRatesCsv } from '../ingest/transactions/rates.ts';
import { runLink } from '../link/run.ts';
import { listRejects } from '../store/payments.ts';
import { joinPaymentsToSubjects, subjectMoneyFlow } from './join.ts';
import { listAlerts, scorePayments } from './run.ts';

const work = mkdtempSync(join(tmpdir(), 'bantay-payments-'));
after(() => rmSync(work, { recursive: true, force: true }));

const HEADER =
  'txn_id,timestamp,amount,currency,amount_php,channel,provider,sender_id,sender_name,sender_country,sender_phone,sender_email,receiver_id,receiver_name,receiver_country,receiver_phone,receiver_account,purpose,source';

// A facilitator (Juan Dela Cruz's mobile, written as a payout agent writes it) paid by four
// unrelated foreign payers, small round amounts late at night; and a family remittance.
function networkCsv(): string {
  const lines = [HEADER];
  let n = 0;
  ['Smith', 'Jones', 'Brown', 'Taylor'].forEach((last, k) => {
    for (let i = 0; i < 3; i++) {
      const day = String(3 + k * 5 + i * 3).padStart(2, '0');
      const phone = i % 2 ? '0917-123-4567' : '+63 917 123 4567';
      lines.push(
        `WR${++n},2026-02-${day}T23:1${i}:00-05:00,${20 + 10 * i}.00,USD,,remittance,WorldRemit,C${k},Peter ${last},US,,,FAC${k},JUAN DELA CRUZ,PH,${phone},,school,`,
      );
    }
  });
  for (let m = 0; m < 3; m++)
    lines.push(
      `WU${m},2026-0${m + 1}-15T10:00:00+03:00,400.00,USD,,remittance,Western Union,OFW1,"Santos, Jose",SA,,,MOM1,Maria Santos,PH,09181234567,,family support,`,
    );
  return `${lines.join('\n')}\n`;
}

const BAD_CSV = `${HEADER}
,2026-02-01T10:00:00Z,10.00,USD,,remittance,Remitly,S,A,US,,,R,B,PH,,,gift,
B2,yesterday,10.00,USD,,remittance,Remitly,S,A,US,,,R,B,PH,,,gift,
B3,2026-02-01T10:00:00Z,ten,USD,,remittance,Remitly,S,A,US,,,R,B,PH,,,gift,
B4,2026-02-01T10:00:00Z,10.00,ZZZ,,remittance,Remitly,S,A,US,,,R,B,PH,,,gift,
B5,2026-02-01T10:00:00Z,10.00,USD,,remittance,Remitly,S,Amy Good,US,,,R,Ben Good,PH,,,gift,
`;

for (const backend of testBackends()) {
  describe(`payments on the ${backend.name} backend`, { skip: backend.skip }, () => {
    test('ingest: CSV and JSON Lines, idempotent, bad rows set aside with line and reason, rates', async () => {
      const store = await backend.open();
      try {
        const csv = join(work, `bad-${backend.name}.csv`);
        writeFileSync(csv, BAD_CSV);
        const jsonl = join(work, `rows-${backend.name}.jsonl`);
        writeFileSync(
          jsonl,
          [
            JSON.stringify({
              txn_id: 'J1',
              timestamp: '2026-02-02T01:00:00+08:00',
              amount: 1500,
              currency: 'PHP',
              provider: 'GCash',
              sender_id: 'G1',
              receiver_phone: '09171234567',
              extra_field: 'kept',
            }),
            '{not json',
            JSON.stringify({
              txn_id: 'J2',
              timestamp: '2026-02-02T02:00:00+08:00',
              amount: '25.00',
              currency: 'EUR',
              provider: 'GCash',
              sender_id: 'G1',
              receiver_id: 'G2',
            }),
          ].join('\n'),
        );
        const s = await ingestTransactionFiles(store, [csv, jsonl]);
        assert.equal(s.records, 8);
        assert.equal(s.loaded, 3);
        assert.equal(s.rejected, 5);
        const rejects = await listRejects(store.db);
        const byLine = new Map(rejects.map((r) => [`${r.source.endsWith('.jsonl') ? 'j' : 'c'}${r.line}`, r.reason]));
        assert.equal(byLine.get('c2'), 'no txn_id');
        assert.match(byLine.get('c3')!, /timestamp "yesterday"/);
        assert.match(byLine.get('c4')!, /amount "ten" is not a number/);
        assert.match(byLine.get('c5')!, /unknown currency "ZZZ"/);
        assert.match(byLine.get('j2')!, /not JSON/);

        const again = await ingestTransactionFiles(store, [csv, jsonl]);
        assert.equal(again.loaded, 0);
        assert.equal(again.alreadyStored, 3);
        assert.equal((await listRejects(store.db)).length, 5);
        const rows = await store.db.selectFrom('payment_txns').select(['txn_id', 'amount_php', 'extra', 'receiver_keys']).orderBy('txn_id').execute();
        assert.deepEqual(
          rows.map((r) => r.txn_id),
          ['B5', 'J1', 'J2'],
        );
        assert.equal(rows.find((r) => r.txn_id === 'J2')!.amount_php, 25 * 62);
        assert.deepEqual(rows.find((r) => r.txn_id === 'J1')!.extra, { extra_field: 'kept' });
        assert.deepEqual(rows.find((r) => r.txn_id === 'J1')!.receiver_keys, ['phone:+639171234567']);

        // The agency's rate table: ZZZ now has a rate, and the row that was set aside loads.
        const fixed = await ingestTransactionFiles(store, [csv], {
          rates: parseRatesCsv('currency,php,as_of\nUSD,58,2026-02-01\nZZZ,2,2026-02-01\n', 'agency.csv'),
        });
        assert.equal(fixed.loaded, 1);
        assert.equal(fixed.rates.asOf, '2026-02-01');
        const b4 = await store.db.selectFrom('payment_txns').select('amount_php').where('txn_id', '=', 'B4').executeTakeFirstOrThrow();
        assert.equal(b4.amount_php, 20);

        // A file that cannot be read is set aside; the files beside it still load.
        const missing = await ingestTransactionFiles(store, [join(work, 'no-such-file.csv'), jsonl]);
        assert.equal(missing.files[0]!.rejected, 1);
        assert.equal(missing.alreadyStored, 1); // J1 (PHP); J2 is in EUR, which the agency's table lacks
        assert.ok((await listRejects(store.db)).some((r) => r.line === 0 && /cannot read the file/.test(r.reason)));
      } finally {
        await store.close();
      }
    });

    test('score, join to a report holding the same phone written another way, subject flags and money flow', async () => {
      const store = await backend.open();
      try {
        await ingestPaths(store, [join(repoRoot, 'test', 'fixtures', 'cybertip', 'kitchen-sink.xml')]);
        await runLink(store);
        const holder = await store.db
          .selectFrom('link_identifiers')
          .select('report_id')
          .where('key', '=', 'phone:+639171234567')
          .where('strength', '=', 'strong')
          .executeTakeFirstOrThrow();
        const csv = join(work, `network-${backend.name}.csv`);
        writeFileSync(csv, networkCsv());
        await ingestTransactionFiles(store, [csv]);
        const s = await scorePayments(store);
        assert.equal(s.transactions, 15);
        const alerts = await listAlerts(store);
        const fac = alerts.find((a) => a.role === 'receiver');
        assert.equal(fac?.party, 'phone:+639171234567');
        assert.deepEqual(fac.customers, ['worldremit|FAC0', 'worldremit|FAC1', 'worldremit|FAC2', 'worldremit|FAC3']);
        assert.equal(alerts.filter((a) => a.role === 'sender').length, 4);
        assert.ok(!alerts.some((a) => a.customers.some((c) => c.endsWith('OFW1') || c.endsWith('MOM1'))), 'the family remittance is not flagged');
        for (let i = 1; i < alerts.length; i++) assert.ok(alerts[i - 1]!.score >= alerts[i]!.score);

        const j = await joinPaymentsToSubjects(store);
        assert.ok(j.partiesOnReports >= 1);
        const subjectRow = await store.db.selectFrom('link_subjects').select('subject_id').where('report_id', '=', holder.report_id).executeTakeFirst();
        const subject = subjectRow?.subject_id ?? `S-${holder.report_id}`;
        const flag = await store.db.selectFrom('payment_subject_flags').selectAll().where('subject_id', '=', subject).executeTakeFirstOrThrow();
        assert.ok(flag.score >= 0.5 && flag.score <= 1);
        assert.deepEqual(flag.parties, ['phone:+639171234567']);
        assert.match(flag.top_reason, /receiver phone:\+639171234567/);

        const flow = await subjectMoneyFlow(store, subject);
        assert.deepEqual(
          flow.nodes.filter((n) => n.role === 'subject').map((n) => n.id),
          ['phone:+639171234567'],
        );
        assert.equal(flow.nodes.filter((n) => n.role === 'payer').length, 4);
        assert.equal(flow.edges.length, 4);
        const e = flow.edges[0]!;
        assert.equal(e.to, 'phone:+639171234567');
        assert.equal(e.count, 3);
        assert.equal(e.amount, 90);
        assert.equal(e.currency, 'USD');
        assert.ok(e.first < e.last);
      } finally {
        await store.close();
      }
    });

    test('the CLI: ingest, score, alerts --json, rejected, flow, rates', async () => {
      const { location, dispose } = await backend.fresh();
      try {
        const csv = join(work, `cli-${backend.name}.csv`);
        writeFileSync(csv, networkCsv() + 'BAD1,2026-02-01T10:00:00Z,x,USD,,,,S1,,,,,R1,,,,,,\n');
        const ing = await runCli(['payments', 'ingest', csv], location);
        assert.equal(ing.code, 0, ing.stderr);
        assert.match(ing.stdout, /15 new, 0 already stored, 1 set aside/);
        // Scoring and the join ran as derived work of the ingest: the alerts are ready.
        assert.match(ing.stdout, /1 receiver and 4 sender alert\(s\)/);
        const alerts = await runCli(['payments', 'alerts', '--json'], location);
        assert.equal(alerts.code, 0, alerts.stderr);
        const list = JSON.parse(alerts.stdout) as { party: string; role: string; score: number; reasons: { rule: string }[] }[];
        assert.deepEqual(Object.keys(list[0]!).slice(0, 4), ['party', 'role', 'score', 'reasons']);
        assert.equal(list[0]!.party, 'phone:+639171234567');
        assert.ok(list[0]!.reasons.some((r) => r.rule === 'r-fan-in'));
        const sc = await runCli(['payments', 'score', '--json'], location);
        assert.equal(sc.code, 0, sc.stderr);
        const rej = await runCli(['payments', 'rejected', '--json'], location);
        assert.match(rej.stdout, /amount \\"x\\" is not a number/);
        const rates = await runCli(['payments', 'rates', '--json'], location);
        assert.equal((JSON.parse(rates.stdout) as { rates: Record<string, number> }).rates.USD, 57);
        const flow = await runCli(['payments', 'flow', 'S-none', '--json'], location);
        assert.deepEqual(JSON.parse(flow.stdout), { nodes: [], edges: [] });
      } finally {
        await dispose();
      }
    });

    test('bantay ingest of a folder: the transactions CSV and JSON Lines load as transactions (a row with a NUL is set aside), alerts and the subject flag are ready, other files are listed as skipped with why', async () => {
      const { location, dispose } = await backend.fresh();
      try {
        const inbox = join(work, `inbox-${backend.name}`);
        mkdirSync(inbox, { recursive: true });
        copyFileSync(join(repoRoot, 'test', 'fixtures', 'cybertip', 'kitchen-sink.xml'), join(inbox, 'a-reports.xml'));
        writeFileSync(
          join(inbox, 'b-remittances.csv'),
          `${networkCsv()}NUL1,2026-02-01T10:00:00Z,5.00,USD,,remittance,Remitly,S9,Ann\u0000Lee,US,,,R9,Bo,PH,,,gift,\n`,
        );
        writeFileSync(
          join(inbox, 'c-wallet.jsonl'),
          [
            JSON.stringify({
              txn_id: 'J1',
              timestamp: '2026-02-01T01:00:00+08:00',
              amount: '500',
              currency: 'PHP',
              provider: 'GCash',
              sender_id: 'G1',
              receiver_id: 'G2',
            }),
            '{"txn_id": "J2", "timestamp": "2026-02-01T01:00:00+08:00", "amount": "5", "currency": "PHP", "provider": "GCash", "sender_id": "G\\u0000", "receiver_id": "G2"}',
            '{"txn_id": "J3", not json',
            JSON.stringify({
              txn_id: 'J4',
              timestamp: '2026-02-01T02:00:00+08:00',
              amount: '700',
              currency: 'PHP',
              provider: 'GCash',
              sender_id: 'G1',
              receiver_id: 'G2',
            }),
          ].join('\n'),
        );
        writeFileSync(join(inbox, 'd-case-status.json'), JSON.stringify({ 200000001: { status: 'open' }, 200000002: { status: 'closed' } }));
        writeFileSync(join(inbox, 'e-notes.csv'), 'report,note\n1,x\n');
        writeFileSync(join(inbox, 'README'), 'inbox\n');
        const r = await runCli(['ingest', inbox, '--json'], location);
        // Exit 3: rows were set aside.
        assert.equal(r.code, 3, r.stderr + r.stdout);
        const s = JSON.parse(r.stdout) as {
          newReports: number;
          skippedFiles: number;
          skipped: { path: string; reason: string }[];
          transactions: { loaded: number; rejected: number; files: { path: string }[] };
          processed: { paymentScores: { alerts: { receivers: number } }; payments: { subjectsFlagged: number } | null };
        };
        assert.equal(s.newReports, 3);
        assert.deepEqual(
          s.transactions.files.map((f) => f.path.slice(inbox.length + 1)),
          ['b-remittances.csv', 'c-wallet.jsonl'],
        );
        assert.equal(s.transactions.loaded, 17);
        assert.equal(s.transactions.rejected, 3);
        assert.equal(s.processed.paymentScores.alerts.receivers, 1);
        assert.ok((s.processed.payments?.subjectsFlagged ?? 0) >= 1, 'the facilitator joins the report holding his phone');
        const skipped = new Map(s.skipped.map((f) => [f.path.slice(inbox.length + 1), f.reason]));
        assert.deepEqual([...skipped.keys()].sort(), ['README', 'd-case-status.json', 'e-notes.csv']);
        assert.match(
          skipped.get('d-case-status.json')!,
          /an object keyed by report numbers \("200000001", "200000002"\), such as a sidecar of per-report data/,
        );
        assert.match(skipped.get('e-notes.csv')!, /a CSV whose header \("report", "note"\) lacks the transactions columns/);
        const alerts = await runCli(['payments', 'alerts', '--json'], location);
        assert.equal((JSON.parse(alerts.stdout) as { party: string }[])[0]?.party, 'phone:+639171234567');
        const rej = JSON.parse((await runCli(['payments', 'rejected', '--json'], location)).stdout) as { line: number; reason: string; raw: string }[];
        const nul = rej.find((x) => x.raw.includes('NUL1'))!;
        assert.match(nul.reason, /column sender_name holds a character that cannot be stored \(U\+0000\)/);
        assert.match(nul.raw, /Ann\\u0000Lee/);
        assert.ok(rej.some((x) => x.line === 2 && /sender_id holds a character that cannot be stored/.test(x.reason)));
        assert.ok(
          rej.some((x) => x.line === 3 && /not JSON/.test(x.reason)),
          'one bad JSON line is set aside and the next line loads',
        );
        // The text summary names each skipped file.
        const again = await runCli(['ingest', inbox], location);
        assert.match(again.stdout, /skipped +3 file\(s\), not read:\n.*README: not CyberTip input/);
      } finally {
        await dispose();
      }
    });
  });
}
