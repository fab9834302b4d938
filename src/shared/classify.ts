// Works out which wallet a customer-presented payment code belongs to (DESIGN §8). Pure: used by the
// kiosk to route a scan and by the proxy to refuse codes it cannot serve before any provider call.
import type { Vendor } from './providers';

export { VENDOR_LABELS } from './providers';

export type Classification =
  | { ok: true; vendor: Vendor; code: string }
  | { ok: false; reason: 'empty' | 'not_a_payment_code' | 'checksum_failed' | 'unrecognised'; message: string };

/** Centrapay's documented 6-digit patron-code prefixes (providers/centrapay.md §6). */
export const CENTRAPAY_PREFIXES: readonly string[] = [
  '121921',
  '123000',
  '282828',
  '293000',
  '321000',
  '321123',
  '636863',
  '713131',
  '765432',
  '777000',
  '839234',
  '848484',
  '888444',
  '929394',
  '987600',
  '999000',
];

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** Appends the Luhn check digit to a digit string (used to mint valid Centrapay test codes). */
export function withLuhnDigit(body: string): string {
  for (let d = 0; d <= 9; d++) if (luhnValid(body + d)) return body + d;
  throw new Error('unreachable');
}

function inRange(prefix2: string, lo: number, hi: number): boolean {
  const n = Number(prefix2);
  return n >= lo && n <= hi;
}

export function classifyCode(raw: string): Classification {
  // Scanners and people add spaces or dashes for readability; wallet codes never contain them.
  const code = raw.trim().replace(/[\s-]+/g, '');
  if (code === '') return { ok: false, reason: 'empty', message: 'No code was read.' };

  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(code) || /^www\./i.test(code)) {
    return {
      ok: false,
      reason: 'not_a_payment_code',
      message: 'This is a web link, not a wallet payment code. Ask the customer to open the payment code in their wallet app.',
    };
  }
  if (code.startsWith('000201')) {
    return {
      ok: false,
      reason: 'not_a_payment_code',
      message: 'This is a merchant QR (EMVCo), not a customer payment code. Ask the customer to show their payment code.',
    };
  }

  if (/^\d+$/.test(code)) {
    const p2 = code.slice(0, 2);
    // Centrapay before Alipay: prefixes 282828/293000 fall inside Alipay's 25–30 range, and the Luhn digit
    // is what tells them apart.
    if (code.length === 16 && CENTRAPAY_PREFIXES.includes(code.slice(0, 6))) {
      if (luhnValid(code)) return { ok: true, vendor: 'centrapay', code };
      if (!inRange(p2, 25, 30)) {
        return {
          ok: false,
          reason: 'checksum_failed',
          message: 'This looks like a Centrapay code but its check digit is wrong. Scan it again.',
        };
      }
    }
    if (code.length === 18 && inRange(p2, 10, 15)) return { ok: true, vendor: 'wechatpay', code };
    if (code.length >= 16 && code.length <= 24 && inRange(p2, 25, 30)) return { ok: true, vendor: 'alipay', code };
    if (code.length === 19 && p2 === '62') return { ok: true, vendor: 'unionpay', code };
    return { ok: false, reason: 'unrecognised', message: 'This code is not from a wallet we recognise.' };
  }

  // PayBy authCodes are upper-case alphanumerics such as 20007900T400690098F (providers/payby.md).
  if (/^[0-9A-Z]{12,32}$/.test(code) && /[A-Z]/.test(code)) return { ok: true, vendor: 'payby', code };

  return { ok: false, reason: 'unrecognised', message: 'This code is not from a wallet we recognise.' };
}

/** Every wallet whose code format this code fits. The classifier picks one; where formats overlap (a
 *  Luhn-valid 16-digit code with a listed patron-code prefix inside Alipay's range) the cashier may pick another. */
export function plausibleVendors(code: string): Vendor[] {
  const c = code.trim().replace(/[\s-]+/g, '');
  const out: Vendor[] = [];
  if (/^\d+$/.test(c)) {
    const p2 = Number(c.slice(0, 2));
    if (c.length === 16 && CENTRAPAY_PREFIXES.includes(c.slice(0, 6)) && luhnValid(c)) out.push('centrapay');
    if (c.length === 18 && p2 >= 10 && p2 <= 15) out.push('wechatpay');
    if (c.length >= 16 && c.length <= 24 && p2 >= 25 && p2 <= 30) out.push('alipay');
    if (c.length === 19 && c.startsWith('62')) out.push('unionpay');
  } else if (/^[0-9A-Z]{12,32}$/.test(c)) {
    out.push('payby');
  }
  return out;
}
