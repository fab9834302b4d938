// Seeds sales straight into the store (through the one write path for their status) for the history and
// receipt suites: exact amounts, codes, times and provider references, without waiting on a simulator.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { PaymentStatus, Vendor } from '../../../src/shared/payment.ts';
import { applyTransition } from '../../../server/payments/transition.ts';
import { maskCode } from '../../../server/payments/reference.ts';
import { getPayment, insertPayment, type Payment } from '../../../server/store/payments.ts';

export interface Seed {
  terminalId: string;
  storeId: string;
  value: number;
  currency?: string;
  code?: string;
  createdAt?: string;
  businessDay?: string;
  status?: PaymentStatus;
  providerRef?: string;
  vendor?: Vendor;
}

export async function seedPayment(app: FastifyInstance, s: Seed): Promise<Payment> {
  const id = `pay_${randomUUID()}`;
  const now = s.createdAt ?? new Date().toISOString();
  const db = app.kiosk.db;
  await insertPayment(db, {
    id,
    terminalId: s.terminalId,
    orderId: `order-${randomUUID()}`,
    idempotencyKey: randomUUID(),
    requestHash: 'seed',
    mode: 'cpm',
    provider: 'pockyt',
    vendor: s.vendor ?? 'alipay',
    amount: { value: s.value, currency: s.currency ?? 'USD' },
    reference: `seed${randomUUID().replaceAll('-', '')}`,
    codeMasked: maskCode(s.code ?? `28${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}0001`),
    now,
    storeId: s.storeId,
    businessDay: s.businessDay ?? now.slice(0, 10),
  });
  const to = s.status ?? 'succeeded';
  await applyTransition(db, null, { paymentId: id, to, source: 'sync', raw: { seeded: true }, providerRef: s.providerRef });
  return (await getPayment(db, id))!;
}
