// Transactions for the tests of the payments views.

const HEADER = 'txn_id,timestamp,amount,currency,amount_php,channel,provider,sender_id,sender_name,sender_country,sender_phone,sender_email,receiver_id,receiver_name,receiver_country,receiver_phone,receiver_account,purpose,source';

/** Two facilitators, each paid by four unrelated foreign payers at night: one holds S-0's phone, the other S-1's. */
export function facilitatorsCsv(): string {
  const lines = [HEADER];
  let n = 0;
  for (const [f, phone] of [['0', '0917 000 0000'], ['1', '0917-000-0001']] as const) {
    ['Smith', 'Jones', 'Brown', 'Taylor'].forEach((last, k) => {
      for (let i = 0; i < 3; i++) {
        const day = String(3 + k * 5 + i * 3).padStart(2, '0');
        lines.push(`F${f}T${++n},2026-02-${day}T23:1${i}:00-05:00,${20 + 10 * i}.00,USD,,remittance,WorldRemit,P${f}${k},Peter ${last}${f},US,,,FAC${f}${k},JUAN DELA CRUZ ${f},PH,${phone},,school,`);
      }
    });
  }
  return `${lines.join('\n')}\n`;
}
