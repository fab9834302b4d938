// Wallet-shaped test codes (DESIGN §8 shapes, checked against src/shared/classify.ts). The last four
// digits select the simulator's scenario (0001 success, 0002 pending→success, 0003 pending→failed, …).
import { randomInt } from 'node:crypto';

function digits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(randomInt(10));
  return s;
}

function build(prefix: string, suffix: string, length: number): string {
  if (!/^\d*$/.test(suffix)) throw new Error(`suffix must be digits, got ${JSON.stringify(suffix)}`);
  const middle = length - prefix.length - suffix.length;
  if (middle < 0) throw new Error(`suffix ${suffix} too long for a ${length}-digit code`);
  return prefix + digits(middle) + suffix;
}

/** 18-digit Alipay code starting 28 (Alipay: 16–24 digits, prefix 25–30). */
export function alipayTestCode(suffix = ''): string {
  return build('28', suffix, 18);
}

/** 18-digit WeChat Pay code starting 13 (WeChat Pay: 18 digits, prefix 10–15). */
export function wechatTestCode(suffix = ''): string {
  return build('13', suffix, 18);
}
