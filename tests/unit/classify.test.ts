// Code → wallet (DESIGN §8), including the Centrapay/Alipay prefix overlap that only the Luhn digit settles.
import { describe, expect, it } from 'vitest';
import { classifyCode, luhnValid, withLuhnDigit } from '../../src/shared/classify.ts';

const vendorOf = (code: string) => {
  const c = classifyCode(code);
  return c.ok ? c.vendor : `!${c.reason}`;
};

/** Same 15-digit body, last digit chosen so the Luhn check fails. */
const withBadLuhn = (body: string) => {
  const good = withLuhnDigit(body);
  return body + ((Number(good.at(-1)) + 1) % 10);
};

describe('classifyCode', () => {
  const table: [string, string, string][] = [
    ['WeChat Pay 18 digits prefix 10', '101234567890123456', 'wechatpay'],
    ['WeChat Pay 18 digits prefix 15', '151234567890123456', 'wechatpay'],
    ['18 digits prefix 16 is not WeChat', '161234567890123456', '!unrecognised'],
    ['17 digits prefix 13 is not WeChat', '13123456789012345', '!unrecognised'],
    ['Alipay 18 digits prefix 28', '286521182446652715', 'alipay'],
    ['Alipay 16 digits prefix 25', '2512345678901234', 'alipay'],
    ['Alipay 24 digits prefix 30', '301234567890123456789012', 'alipay'],
    ['25 digits prefix 28 is too long for Alipay', '2812345678901234567890123', '!unrecognised'],
    ['15 digits prefix 28 is too short for Alipay', '281234567890123', '!unrecognised'],
    ['prefix 31 is not Alipay', '311234567890123456', '!unrecognised'],
    ['UnionPay 19 digits prefix 62', '6212345678901234567', 'unionpay'],
    ['UnionPay needs 19 digits', '621234567890123456', '!unrecognised'],
    ['PayBy upper-case alphanumeric', '20007900T400690098F', 'payby'],
    ['Alipay with readability spaces', ' 2865 2118 2446 6527 15 ', 'alipay'],
    ['Alipay with dashes', '2865-2118-2446-6527-15', 'alipay'],
    ['empty', '   ', '!empty'],
    ['https URL', 'https://qr.alipay.com/bax01234', '!not_a_payment_code'],
    ['custom scheme URL', 'weixin://wxpay/bizpayurl?pr=abc', '!not_a_payment_code'],
    ['www link', 'www.example.com/pay', '!not_a_payment_code'],
    [
      'EMVCo merchant QR',
      '00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京540523.7253031565502016233030412340603***0708A60086670902ME91320016A0112233449988770708123456786304A13A',
      '!not_a_payment_code',
    ],
    ['lower-case letters', 'abcdefghijklmnop', '!unrecognised'],
  ];
  for (const [name, input, expected] of table) {
    it(`${name} → ${expected}`, () => {
      expect(vendorOf(input)).toBe(expected);
    });
  }

  it('returns the cleaned code for a match', () => {
    expect(classifyCode(' 2865 2118 2446 6527 15 ')).toEqual({ ok: true, vendor: 'alipay', code: '286521182446652715' });
  });

  it('gives every refusal a message for the cashier', () => {
    for (const bad of ['', 'https://x.y', '000201010211', '42', withBadLuhn('999000123456789')]) {
      const c = classifyCode(bad);
      expect(c.ok).toBe(false);
      if (!c.ok) expect(c.message.length).toBeGreaterThan(10);
    }
  });
});

describe('Centrapay vs Alipay overlap', () => {
  for (const prefix of ['282828', '293000']) {
    it(`${prefix}… with a valid Luhn digit is Centrapay`, () => {
      const code = withLuhnDigit(`${prefix}123456789`);
      expect(code).toHaveLength(16);
      expect(luhnValid(code)).toBe(true);
      expect(vendorOf(code)).toBe('centrapay');
    });
    it(`${prefix}… with an invalid Luhn digit falls back to Alipay (inside 25–30)`, () => {
      const code = withBadLuhn(`${prefix}123456789`);
      expect(luhnValid(code)).toBe(false);
      expect(vendorOf(code)).toBe('alipay');
    });
  }

  it("a listed prefix outside Alipay's range with a bad Luhn digit is a checksum failure", () => {
    const code = withBadLuhn('999000123456789');
    expect(vendorOf(code)).toBe('!checksum_failed');
    expect(vendorOf(withLuhnDigit('999000123456789'))).toBe('centrapay');
  });

  it('an unlisted 16-digit prefix is not Centrapay even with a valid Luhn digit', () => {
    expect(vendorOf(withLuhnDigit('555555123456789'))).toBe('!unrecognised');
  });

  it('a listed prefix with 18 digits is judged by length, not as Centrapay', () => {
    expect(vendorOf('282828123456789012')).toBe('alipay');
  });
});

describe('luhnValid / withLuhnDigit', () => {
  it('matches known numbers', () => {
    expect(luhnValid('79927398713')).toBe(true);
    expect(luhnValid('79927398710')).toBe(false);
    expect(withLuhnDigit('7992739871')).toBe('79927398713');
  });
});
