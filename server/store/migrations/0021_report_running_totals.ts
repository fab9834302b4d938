import { sql, type Kysely, type Migration } from 'kysely';
import type { Dialect } from '../db.ts';

// The day report's running totals (issue 11: under 100 ms p95 at 100,000 payments). Reading a day's payments,
// even from covering indexes, cost one pass over every payment of the day (268 ms p95 at 100,000 in a loaded
// run). These tables keep, per terminal and 15-minute UTC bucket, the count and sum of payments (by currency,
// provider, wallet, status) and of refunds (by currency, the payment's provider and wallet, staff, status),
// so a day is a few hundred rows. 15 minutes because every IANA zone's offset is a whole number of quarter
// hours (+5:30, +5:45, DST days included): any local midnight is a bucket boundary, whatever zone the store
// is in, and the zone is never needed at write time.
//
// Kept by triggers, not by the application: a trigger sees every write that changes a total — the one
// status write path, refund settling, a direct repair with the sqlite3 shell, a test fixture moving
// created_at — in the same transaction, so the totals cannot drift from the rows (store/report-totals.ts
// checks that anyway: `npm run totals -- check`). The statements are the same SQL on both databases; only
// the wrapper differs (SQLite's trigger body, Postgres's PL/pgSQL function). A NULL wallet or staff is kept as
// '' because NULLs never conflict in a unique key, and the upsert needs them to.
const bucket = (at: string) => `substr(${at}, 1, 14) || substr('00153045', (cast(substr(${at}, 15, 2) as integer) / 15) * 2 + 1, 2)`;

const PAYMENT_KEY = 'terminal_id, bucket, currency, provider, vendor, status';
const REFUND_KEY = 'terminal_id, bucket, currency, provider, vendor, staff_id, status';
const add = (table: string) => `do update set n = ${table}.n + excluded.n, amount = ${table}.amount + excluded.amount`;

/** Adds (sign '+') or takes away (sign '-') one payment row (`row`: NEW or OLD), when `when` holds. */
const paymentRow = (row: string, sign: '+' | '-', when = 'true') => `
  insert into payment_totals (${PAYMENT_KEY}, n, amount)
  select ${row}.terminal_id, ${bucket(`${row}.created_at`)}, ${row}.currency, ${row}.provider, coalesce(${row}.vendor, ''),
         ${row}.status, ${sign}1, ${sign}${row}.amount_value
  where ${when}
  on conflict (${PAYMENT_KEY}) ${add('payment_totals')}`;

/** Adds or takes away one refund row, under its payment's provider and wallet. */
const refundRow = (row: string, sign: '+' | '-', when = 'true') => `
  insert into refund_totals (${REFUND_KEY}, n, amount)
  select ${row}.terminal_id, ${bucket(`${row}.created_at`)}, ${row}.currency, p.provider, coalesce(p.vendor, ''),
         coalesce(${row}.staff_id, ''), ${row}.status, ${sign}1, ${sign}${row}.amount_value
  from payments p where p.id = ${row}.payment_id and ${when}
  on conflict (${REFUND_KEY}) ${add('refund_totals')}`;

// A status change takes the old group's row and the new one's, each locked until commit (Postgres). Two changes
// in opposite directions at once (pending → unknown and unknown → pending, same till and quarter hour) would each
// hold one and wait for the other; taking them in status order, whichever is old or new, makes that a wait.
const inStatusOrder = (upsert: typeof paymentRow) => [
  upsert('OLD', '-', 'OLD.status <= NEW.status'),
  upsert('NEW', '+'),
  upsert('OLD', '-', 'OLD.status > NEW.status'),
];

/** A payment's provider or wallet changed: its refunds move from the old one's totals to the new one's. */
const movedRefunds = (provider: string, sign: '+' | '-') => `
  insert into refund_totals (${REFUND_KEY}, n, amount)
  select r.terminal_id, ${bucket('r.created_at')}, r.currency, ${provider}.provider, coalesce(${provider}.vendor, ''),
         coalesce(r.staff_id, ''), r.status, ${sign}count(*), ${sign}sum(r.amount_value)
  from refunds r
  where r.payment_id = NEW.id
  group by r.terminal_id, ${bucket('r.created_at')}, r.currency, coalesce(r.staff_id, ''), r.status
  on conflict (${REFUND_KEY}) ${add('refund_totals')}`;

const distinct = (cols: string[]) => cols.map((c) => `OLD.${c} is distinct from NEW.${c}`).join(' or ');
const PAYMENT_COLS = ['terminal_id', 'created_at', 'currency', 'provider', 'vendor', 'status', 'amount_value'];
const REFUND_COLS = ['payment_id', 'terminal_id', 'created_at', 'currency', 'staff_id', 'status', 'amount_value'];

interface Trigger {
  name: string;
  event: string;
  when?: string;
  body: string[];
}

const TRIGGERS: Trigger[] = [
  { name: 'payment_totals_insert', event: 'insert on payments', body: [paymentRow('NEW', '+')] },
  {
    name: 'payment_totals_update',
    event: `update of ${PAYMENT_COLS.join(', ')} on payments`,
    when: distinct(PAYMENT_COLS),
    body: inStatusOrder(paymentRow),
  },
  {
    name: 'payment_totals_move_refunds',
    event: 'update of provider, vendor on payments',
    when: distinct(['provider', 'vendor']),
    body: [movedRefunds('OLD', '-'), movedRefunds('NEW', '+')],
  },
  { name: 'payment_totals_delete', event: 'delete on payments', body: [paymentRow('OLD', '-')] },
  { name: 'refund_totals_insert', event: 'insert on refunds', body: [refundRow('NEW', '+')] },
  {
    name: 'refund_totals_update',
    event: `update of ${REFUND_COLS.join(', ')} on refunds`,
    when: distinct(REFUND_COLS),
    body: inStatusOrder(refundRow),
  },
  { name: 'refund_totals_delete', event: 'delete on refunds', body: [refundRow('OLD', '-')] },
];

async function createTrigger(db: Kysely<unknown>, dialect: Dialect, t: Trigger): Promise<void> {
  const statements = t.body.map((s) => `${s};`).join('\n');
  if (dialect === 'sqlite') {
    const when = t.when ? ` when ${t.when}` : '';
    await sql.raw(`create trigger ${t.name} after ${t.event} for each row${when} begin ${statements} end`).execute(db);
    return;
  }
  await sql.raw(`create function ${t.name}() returns trigger language plpgsql as $$ begin ${statements} return null; end $$`).execute(db);
  const when = t.when ? ` when (${t.when})` : '';
  await sql.raw(`create trigger ${t.name} after ${t.event} for each row${when} execute function ${t.name}()`).execute(db);
}

export function migration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      for (const [table, key] of [
        ['payment_totals', PAYMENT_KEY],
        ['refund_totals', REFUND_KEY],
      ] as const) {
        let t = db.schema.createTable(table);
        for (const col of key.split(', ')) t = t.addColumn(col, 'text', (c) => c.notNull());
        t = t
          .addColumn('n', 'bigint', (c) => c.notNull())
          .addColumn('amount', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint(`${table}_pk`, key.split(', ') as never);
        // SQLite: the rows live in the key's B-tree, so an upsert is one B-tree write and a read is covering.
        await (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t).execute();
      }
      // The rows as they are now, then the triggers for every write after (one transaction: nothing between).
      await sql
        .raw(
          `insert into payment_totals (${PAYMENT_KEY}, n, amount)
           select terminal_id, ${bucket('created_at')}, currency, provider, coalesce(vendor, ''), status, count(*), sum(amount_value)
           from payments group by terminal_id, ${bucket('created_at')}, currency, provider, coalesce(vendor, ''), status`,
        )
        .execute(db);
      await sql
        .raw(
          `insert into refund_totals (${REFUND_KEY}, n, amount)
           select r.terminal_id, ${bucket('r.created_at')}, r.currency, p.provider, coalesce(p.vendor, ''), coalesce(r.staff_id, ''),
                  r.status, count(*), sum(r.amount_value)
           from refunds r join payments p on p.id = r.payment_id
           group by r.terminal_id, ${bucket('r.created_at')}, r.currency, p.provider, coalesce(p.vendor, ''), coalesce(r.staff_id, ''), r.status`,
        )
        .execute(db);
      for (const t of TRIGGERS) await createTrigger(db, dialect, t);
    },
  };
}
