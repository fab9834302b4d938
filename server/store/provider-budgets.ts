// Provider accounts' request budgets as rows (migration 0019), so the proxies sharing a database share each
// account's rate and its Retry-After pause. Every change is read–compute–write inside one transaction, the
// row locked (FOR UPDATE) on Postgres; on SQLite (one process, one connection) nothing interleaves with it.
// The arithmetic is payments/token-bucket.ts; this file only keeps its state.
import type { Kysely, Transaction } from 'kysely';
import type { Dialect } from './db.ts';
import type { Database } from './schema.ts';
import {
  fullBucket,
  pauseBucket,
  spendToken,
  takeTokens,
  type Bucket,
  type BucketShape,
  type BucketState,
  type Line,
} from '../payments/token-bucket.ts';

export interface BudgetAccount {
  db: Kysely<Database>;
  dialect: Dialect;
  account: string;
  shape: BucketShape;
  /** This proxy, as it takes turns with the others on the bucket (payments/leases.ts owner). */
  taker: string;
}

async function lockRow(trx: Transaction<Database>, a: BudgetAccount, now: number): Promise<BucketState> {
  const read = () =>
    trx
      .selectFrom('provider_budgets')
      .select(['tokens', 'refilled_at', 'paused_until', 'next_taker', 'next_until', 'next_line', 'last_taker'])
      .where('account', '=', a.account)
      .$if(a.dialect === 'postgres', (qb) => qb.forUpdate())
      .executeTakeFirst();
  let row = await read();
  if (!row) {
    const full = fullBucket(a.shape, now);
    await trx
      .insertInto('provider_budgets')
      .values({
        account: a.account,
        tokens: full.tokens,
        refilled_at: full.refilledAt,
        paused_until: full.pausedUntil,
        next_taker: full.nextTaker,
        next_until: full.nextUntil,
        next_line: full.nextLine,
        last_taker: full.lastTaker,
      })
      .onConflict((oc) => oc.column('account').doNothing())
      .execute();
    row = await read();
  }
  if (!row) throw new Error(`provider budget ${a.account}: row missing after insert`);
  return {
    tokens: Number(row.tokens),
    refilledAt: Number(row.refilled_at),
    pausedUntil: Number(row.paused_until),
    nextTaker: row.next_taker,
    nextUntil: Number(row.next_until),
    nextLine: row.next_line === 'urgent' || row.next_line === 'normal' ? row.next_line : null,
    lastTaker: row.last_taker,
  };
}

/** Applies `change` to the account's bucket atomically; returns what `change` returned. */
export async function changeBudget<T extends { state: BucketState }>(
  a: BudgetAccount,
  change: (s: BucketState, now: number) => T,
): Promise<T> {
  return a.db.transaction().execute(async (trx) => {
    const now = Date.now();
    const before = await lockRow(trx, a, now);
    const out = change(before, now);
    const s = out.state;
    const changed = (Object.keys(s) as (keyof BucketState)[]).some((k) => s[k] !== before[k]);
    if (changed) {
      await trx
        .updateTable('provider_budgets')
        .set({
          tokens: s.tokens,
          refilled_at: s.refilledAt,
          paused_until: s.pausedUntil,
          next_taker: s.nextTaker,
          next_until: s.nextUntil,
          next_line: s.nextLine,
          last_taker: s.lastTaker,
        })
        .where('account', '=', a.account)
        .execute();
    }
    return out;
  });
}

/** One provider account's bucket in the database: one transaction per take, however many requests it grants. */
export class DatabaseBucket implements Bucket {
  constructor(private readonly a: BudgetAccount) {}

  async take(want: number, reserve: number, line: Line): Promise<{ granted: number; waitMs: number; pausedUntil: number }> {
    const turn = { taker: this.a.taker, line };
    const t = await changeBudget(this.a, (s, now) => takeTokens(s, this.a.shape, now, want, reserve, turn));
    return { granted: t.granted, waitMs: t.waitMs, pausedUntil: t.state.pausedUntil };
  }

  async spend(): Promise<void> {
    await changeBudget(this.a, (s, now) => ({ state: spendToken(s, this.a.shape, now) }));
  }

  async pause(until: number): Promise<void> {
    await changeBudget(this.a, (s, now) => ({ state: pauseBucket(s, this.a.shape, now, until) }));
  }
}
