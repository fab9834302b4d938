// A tiny HTTP client that behaves like the kiosk: bearer token, Idempotency-Key per attempt, JSON.
import { randomUUID } from 'node:crypto';
import type { PaymentView } from '../../../src/shared/api.ts';

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class Kiosk {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    opts: { body?: unknown; rawBody?: string; headers?: Record<string, string>; auth?: boolean } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.auth !== false) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined = opts.rawBody;
    if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type'))
      headers['content-type'] = 'application/json';
    const res = await fetch(`${this.baseUrl}${path}`, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // not JSON: keep the text so a test can show it
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  pay(body: unknown, key: string | null = randomUUID()): Promise<Reply<PaymentView & { error?: any }>> {
    return this.request('POST', '/api/payments', { body, headers: key === null ? {} : { 'idempotency-key': key } });
  }

  get(id: string): Promise<Reply<PaymentView & { error?: any }>> {
    return this.request('GET', `/api/payments/${id}`);
  }

  cancel(id: string): Promise<Reply<PaymentView & { error?: any }>> {
    return this.request('POST', `/api/payments/${id}/cancel`);
  }

  /** Polls GET /api/payments/:id until `done` holds (or fails after `ms`). */
  async waitFor(id: string, done: (p: PaymentView) => boolean, ms = 8000): Promise<PaymentView> {
    const until = Date.now() + ms;
    let last: PaymentView | undefined;
    while (Date.now() < until) {
      const r = await this.get(id);
      last = r.body;
      if (r.status === 200 && done(r.body)) return r.body;
      await new Promise((res) => setTimeout(res, 50));
    }
    throw new Error(`payment ${id} never matched; last seen ${JSON.stringify(last)}`);
  }

  /** A fresh customer code from the simulator's wallet (what the wallet page shows). */
  async walletCode(vendor: 'alipay' | 'wechatpay' = 'alipay'): Promise<string> {
    const r = await this.request<{ code: string }>('POST', '/sim/pockyt/control/codes', { body: { vendor }, auth: false });
    if (r.status !== 200) throw new Error(`wallet code: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body.code;
  }

  sim<T = any>(method: string, path: string, body?: unknown): Promise<Reply<T>> {
    return this.request<T>(method, `/sim/pockyt${path}`, { body, auth: false });
  }
}

/** Alipay-shaped (prefix 28, 18 digits) test code whose last four digits pick the simulator scenario. */
export function alipayTestCode(suffix: '0001' | '0002' | '0003' | '0004' | '0005' | (string & {})): string {
  const middle = String(Math.floor(Math.random() * 1e12)).padStart(12, '0');
  return `28${middle}${suffix}`;
}

export function order(): string {
  return `order-${randomUUID()}`;
}
