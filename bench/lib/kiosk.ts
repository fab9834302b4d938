// The kiosk's side of the API as the benches need it: pair, pay with a fresh Idempotency-Key, read a
// payment — plain fetch with the bearer token, like the PWA (and the server tests' helper) does.
import { randomUUID } from 'node:crypto';
import type { PaymentView } from '../../src/shared/api.ts';

export interface Reply<T> {
  status: number;
  body: T;
}

async function json<T>(res: Response): Promise<Reply<T>> {
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text === '' ? null : JSON.parse(text);
  } catch {
    // keep the text for the error message
  }
  return { status: res.status, body: body as T };
}

export async function pairTerminal(baseUrl: string, code: string): Promise<{ token: string; terminalId: string }> {
  const res = await fetch(`${baseUrl}/api/terminals/pair`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  const r = await json<{ token: string; terminalId: string }>(res);
  if (r.status !== 201) throw new Error(`pairing failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

export class BenchKiosk {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  /** One customer-presented payment attempt: a new order and a new Idempotency-Key each time. */
  async pay(code: string, amountMinor = 1250): Promise<Reply<PaymentView>> {
    const res = await fetch(`${this.baseUrl}/api/payments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ orderId: `bench-${randomUUID()}`, amount: { value: amountMinor, currency: 'USD' }, mode: 'cpm', code }),
      signal: AbortSignal.timeout(30_000),
    });
    return json<PaymentView>(res);
  }

  /** `fresh`: as the kiosk polls when it hears nothing (src/lib/checkout/payment-watch.ts). */
  async get(id: string, opts: { fresh?: boolean } = {}): Promise<Reply<PaymentView>> {
    const res = await fetch(`${this.baseUrl}/api/payments/${id}${opts.fresh ? '?fresh=1' : ''}`, {
      headers: { authorization: `Bearer ${this.token}` },
      signal: AbortSignal.timeout(30_000),
    });
    return json<PaymentView>(res);
  }
}

/** JSON call to the simulator's control surface (wallet page / tests), e.g. `/control/codes`. */
export async function simControl<T = any>(simBaseUrl: string, method: string, path: string, body?: unknown): Promise<Reply<T>> {
  const res = await fetch(`${simBaseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return json<T>(res);
}

/** Alipay-shaped (prefix 28, 18 digits) simulator test code; the last four digits pick the scenario. */
export function alipayTestCode(suffix: string): string {
  const middle = String(Math.floor(Math.random() * 1e12)).padStart(12, '0');
  return `28${middle}${suffix}`;
}
