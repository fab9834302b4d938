// Reading both sides for verify.ts: the proxy's books straight from its SQLite file (payments, their refund
// rows and every event row, which become the traces in the report) and the simulators' ledgers.
import SQLite from 'better-sqlite3';
import type { PaymentStatus, ProviderName } from '../../src/shared/payment.ts';
import { ledgerOf } from '../lib/sims.ts';
import type { LedgerEntry, RefundRow, StoreRow } from './verify.ts';

export function readStore(file: string): StoreRow[] {
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const rows = db
      .prepare(
        'select id, order_id, provider, reference, status, amount_value, refunded_value, late, needs_attention, attention_reason from payments',
      )
      .all() as Record<string, unknown>[];
    const refunds = db.prepare('select id, payment_id, status, amount_value from refunds order by created_at').all() as Record<
      string,
      unknown
    >[];
    const events = db
      .prepare('select payment_id, source, from_status, to_status, applied, created_at from payment_events order by id')
      .all() as {
      payment_id: string;
      source: string;
      from_status: string | null;
      to_status: string;
      applied: number;
      created_at: string;
    }[];
    const refundsOf = new Map<string, RefundRow[]>();
    for (const r of refunds) {
      const id = String(r.payment_id);
      refundsOf.set(id, [...(refundsOf.get(id) ?? []), { id: String(r.id), status: String(r.status), amount: Number(r.amount_value) }]);
    }
    const trails = new Map<string, string[]>();
    for (const e of events) {
      const id = String(e.payment_id);
      const line = `${e.created_at} ${e.source}: ${e.from_status ?? '∅'} → ${e.to_status}${e.applied ? '' : ' (not applied)'}`;
      trails.set(id, [...(trails.get(id) ?? []), line]);
    }
    return rows.map((r) => {
      const id = String(r.id);
      return {
        id,
        orderId: String(r.order_id),
        provider: r.provider as ProviderName,
        reference: String(r.reference),
        status: r.status as PaymentStatus,
        amount: Number(r.amount_value),
        refunded: Number(r.refunded_value),
        refunds: refundsOf.get(id) ?? [],
        late: Number(r.late) === 1,
        needsAttention: Number(r.needs_attention) === 1,
        trail: [...(trails.get(id) ?? []), ...(Number(r.needs_attention) === 1 ? [`needs attention: ${String(r.attention_reason)}`] : [])],
      };
    });
  } finally {
    db.close();
  }
}

export async function readLedgers(controls: Record<ProviderName, string>): Promise<LedgerEntry[]> {
  const all = await Promise.all(
    (Object.entries(controls) as [ProviderName, string][]).map(async ([provider, c]) =>
      (await ledgerOf(c)).map((e) => ({ ...e, provider })),
    ),
  );
  return all.flat();
}
