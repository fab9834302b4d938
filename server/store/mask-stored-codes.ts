// Migration 0007 (issue 9): earlier versions kept customer payment codes in full in provider payloads
// (payment_events.payload, webhook_events.raw_body) and could in a provider's decline text
// (payments.failure_message). This masks what is stored the way writes now do (payments/code-mask.ts).
// Batched by id so a large store is never loaded at once; the same Kysely code on SQLite and Postgres.
// Idempotent — a masked value masks to itself — so a run cut short (SQLite has no transactional DDL, so
// Kysely does not wrap it) just runs again at the next start.
import type { Kysely } from 'kysely';
import { maskPaymentCodesInText, type CodeMaskRules } from '../payments/code-mask.ts';

// Every key the provider modules declared as carrying a payment code (ProviderModule.paymentCodeFields) when
// this migration was written, frozen: a migration must do the same whenever it runs, whatever the modules
// declare later (rows written since are masked on write). Applied to every provider's rows — masking a
// same-named field of another provider loses nothing a person needs.
const CODE_FIELDS_AT_0007: readonly string[] = ['barcode', 'authCode', 'paymentBarcode'];

const BATCH = 500;

// A migration must not be typed by today's schema (Kysely's own advice for migrations): tables and columns
// are named at run time here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type MigrationDb = Kysely<any>;

function rules(codeMasked: string | null): CodeMaskRules {
  return { fields: CODE_FIELDS_AT_0007, maskedCodes: codeMasked ? [codeMasked] : [] };
}

interface Row {
  id: string | number;
  text: string;
  codeMasked: string | null;
}

/** Walks a table in id order, BATCH rows at a time, rewriting the column where masking changes it. */
async function maskRows(
  db: MigrationDb,
  table: string,
  column: string,
  start: string | number,
  read: (after: string | number) => Promise<Row[]>,
): Promise<void> {
  let after = start;
  for (;;) {
    const rows = await read(after);
    for (const r of rows) {
      const masked = maskPaymentCodesInText(r.text, rules(r.codeMasked));
      if (masked !== r.text)
        await db
          .updateTable(table)
          .set({ [column]: masked })
          .where('id', '=', r.id)
          .execute();
    }
    if (rows.length < BATCH) return;
    after = rows.at(-1)!.id;
  }
}

/** Rows of an event table with their payment's code_masked, which recognises its code in any field. */
function withPayment(db: MigrationDb, table: string, column: string) {
  return (after: string | number) =>
    db
      .selectFrom(`${table} as t`)
      .leftJoin('payments as p', 'p.id', 't.payment_id')
      .select(['t.id as id', `t.${column} as text`, 'p.code_masked as codeMasked'])
      .where('t.id', '>', after)
      .where(`t.${column}`, 'is not', null)
      .orderBy('t.id')
      .limit(BATCH)
      .execute() as Promise<Row[]>;
}

export async function maskStoredPaymentCodes(db: MigrationDb): Promise<void> {
  await maskRows(db, 'payment_events', 'payload', 0, withPayment(db, 'payment_events', 'payload'));
  // A webhook row names its payment once processed; one that never was is masked by the declared fields.
  await maskRows(db, 'webhook_events', 'raw_body', 0, withPayment(db, 'webhook_events', 'raw_body'));
  await maskRows(db, 'payments', 'failure_message', '', (after) =>
    db
      .selectFrom('payments')
      .select(['id', 'failure_message as text', 'code_masked as codeMasked'])
      .where('id', '>', after)
      .where('failure_message', 'is not', null)
      .orderBy('id')
      .limit(BATCH)
      .execute(),
  );
}
