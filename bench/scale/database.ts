// A fresh Postgres database per phase of the scale bench, on the server BENCH_DATABASE_URL (or
// TEST_DATABASE_URL) names, and the proxy's books read back from it for bench/chaos/verify.ts.
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { PaymentStatus, ProviderName } from '../../src/shared/payment.ts';
import type { RefundRow, StoreRow } from '../chaos/verify.ts';

export async function createDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `kiosk_scale_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface BookRow extends StoreRow {
  providerRef: string | null;
}

export async function readBooks(url: string): Promise<BookRow[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const payments = await c.query(
      'select id, order_id, provider, reference, provider_ref, status, amount_value, refunded_value, late, needs_attention from payments',
    );
    const refunds = await c.query('select id, payment_id, status, amount_value from refunds order by created_at');
    const refundsOf = new Map<string, RefundRow[]>();
    for (const r of refunds.rows) {
      const list = refundsOf.get(r.payment_id) ?? [];
      list.push({ id: r.id, status: r.status, amount: Number(r.amount_value) });
      refundsOf.set(r.payment_id, list);
    }
    return payments.rows.map((r) => ({
      id: r.id,
      orderId: r.order_id,
      provider: r.provider as ProviderName,
      reference: r.reference,
      providerRef: r.provider_ref,
      status: r.status as PaymentStatus,
      amount: Number(r.amount_value),
      refunded: Number(r.refunded_value),
      refunds: refundsOf.get(r.id) ?? [],
      late: Number(r.late) === 1,
      needsAttention: Number(r.needs_attention) === 1,
    }));
  } finally {
    await c.end();
  }
}
