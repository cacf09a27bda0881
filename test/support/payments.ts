// Transactions for the tests of the payments views.
import { sql, type Kysely } from 'kysely';
import type { BantayDatabase } from '../../src/store/schema.ts';

const HEADER =
  'txn_id,timestamp,amount,currency,amount_php,channel,provider,sender_id,sender_name,sender_country,sender_phone,sender_email,receiver_id,receiver_name,receiver_country,receiver_phone,receiver_account,purpose,source';

/** The phones of the two facilitators, as identifier keys (the tests put them on reports). */
export const FACILITATOR_KEYS = ['phone:+639171112222', 'phone:+639173334444'] as const;

/** Two facilitators, each paid by four unrelated foreign payers at night, holding the two phones of FACILITATOR_KEYS. */
export function facilitatorsCsv(): string {
  const lines = [HEADER];
  let n = 0;
  for (const [f, phone] of [
    ['0', '0917 111 2222'],
    ['1', '0917-333-4444'],
  ] as const) {
    ['Smith', 'Jones', 'Brown', 'Taylor'].forEach((last, k) => {
      for (let i = 0; i < 3; i++) {
        const day = String(3 + k * 5 + i * 3).padStart(2, '0');
        lines.push(
          `F${f}T${++n},2026-02-${day}T23:1${i}:00-05:00,${20 + 10 * i}.00,USD,,remittance,WorldRemit,P${f}${k},Peter ${last}${f},US,,,FAC${f}${k},JUAN DELA CRUZ ${f},PH,${phone},,school,`,
        );
      }
    });
  }
  return `${lines.join('\n')}\n`;
}

/** Puts a facilitator's phone on some reports, as the link stage would have found it there. */
export async function holdPhone(db: Kysely<BantayDatabase>, key: string, reportIds: string[]): Promise<void> {
  for (const id of reportIds) {
    await sql`insert into link_identifiers (report_id, kind, value, key, role, strength, raw)
      values (${id}, 'phone', ${key.slice('phone:'.length)}, ${key}, 'reported', 'strong', ${key.slice('phone:'.length)})`.execute(db);
  }
}
