// Client for the simulator's control routes (not Pockyt's protocol): what a wallet app would learn from
// its own backend — a fresh payment code, and the charge waiting for the customer's confirmation.
import { formatMoney, fromMajorString } from '../shared/money';

export const CONTROL = '/sim/pockyt/control';

export type WalletVendor = 'alipay' | 'wechatpay';

export interface SimTransaction {
  transactionNo: string;
  amount: string;
  currency: string;
  status: 'init' | 'dealing' | 'pending' | 'success' | 'failed' | 'closed';
  mode: 'cpm' | 'mpm';
  vendor: WalletVendor | null;
  storeName?: string;
}

export interface CodeInfo {
  code: string;
  vendor: WalletVendor;
  expiresAt: string;
  state: 'issued' | 'used' | 'expired';
  transaction?: SimTransaction;
}

export interface IssuedCode extends CodeInfo {
  /** Local-clock instant the code expires (corrected when this device's clock is off). */
  deadline: number;
}

async function call<T>(path: string, init?: RequestInit): Promise<{ body: T; res: Response }> {
  const res = await fetch(CONTROL + path, init);
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(body?.error?.message ?? `The simulator answered HTTP ${res.status}`);
  return { body: body as T, res };
}

export async function issueCode(vendor: WalletVendor): Promise<IssuedCode> {
  const { body, res } = await call<CodeInfo>('/codes', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ vendor }),
  });
  // A phone's clock can be minutes off; the server's Date header says how long the code really has.
  const serverNow = Date.parse(res.headers.get('date') ?? '');
  const skewed = Number.isFinite(serverNow) && Math.abs(serverNow - Date.now()) > 5000;
  const ttl = Date.parse(body.expiresAt) - (skewed ? serverNow : Date.now());
  return { ...body, state: 'issued', deadline: Date.now() + ttl };
}

export async function codeInfo(code: string): Promise<CodeInfo> {
  return (await call<CodeInfo>(`/codes/${encodeURIComponent(code)}`)).body;
}

export async function transaction(no: string): Promise<SimTransaction> {
  return (await call<SimTransaction>(`/transactions/${encodeURIComponent(no)}`)).body;
}

export async function act(no: string, action: 'approve' | 'decline' | 'pay'): Promise<SimTransaction> {
  return (await call<SimTransaction>(`/transactions/${encodeURIComponent(no)}/${action}`, { method: 'POST' })).body;
}

export function formatAmount(amount: string, currency: string): string {
  try {
    return formatMoney(fromMajorString(amount, currency));
  } catch {
    return `${amount} ${currency}`;
  }
}

/** A merchant QR from this simulator is `<origin>/sim/pockyt/qr/<transactionNo>`; returns the number. */
export function merchantQrTransaction(text: string): string | null {
  const m = /\/sim\/pockyt\/qr\/(\d{6,32})(?:[?#].*)?$/.exec(text.trim());
  return m ? m[1] : null;
}
