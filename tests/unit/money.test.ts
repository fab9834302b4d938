// Money: integer minor units at rest, exact conversions at the wire edge.
import { describe, expect, it } from 'vitest';
import {
  addMoney,
  currencyExponent,
  formatMoney,
  homeLocaleOf,
  fromMajorNumber,
  fromMajorString,
  MoneyError,
  toMajorNumber,
  toMajorString,
  validateAmount,
} from '../../src/shared/money.ts';

const code = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof MoneyError) return err.code;
    throw err;
  }
  return 'no error';
};

describe('validateAmount', () => {
  const cases: [string, unknown, string][] = [
    ['zero', { value: 0, currency: 'USD' }, 'invalid_amount'],
    ['negative', { value: -1, currency: 'USD' }, 'invalid_amount'],
    ['fraction of a cent', { value: 1.5, currency: 'USD' }, 'invalid_amount'],
    ['numeric string', { value: '12', currency: 'USD' }, 'invalid_amount'],
    ['NaN', { value: Number.NaN, currency: 'USD' }, 'invalid_amount'],
    ['Infinity', { value: Number.POSITIVE_INFINITY, currency: 'USD' }, 'invalid_amount'],
    ['over max', { value: 1001, currency: 'USD' }, 'amount_too_large'],
    ['lower-case currency', { value: 100, currency: 'usd' }, 'invalid_currency'],
    ['unknown currency', { value: 100, currency: 'XXX' }, 'unsupported_currency'],
    ['missing currency', { value: 100 }, 'invalid_currency'],
    ['null', null, 'invalid_amount'],
    ['bare number', 100, 'invalid_amount'],
  ];
  for (const [name, input, expected] of cases) {
    it(`rejects ${name} with ${expected}`, () => {
      expect(code(() => validateAmount(input, 1000))).toBe(expected);
    });
  }

  it('accepts 1 and the maximum, and returns only value and currency', () => {
    expect(validateAmount({ value: 1, currency: 'USD' }, 1000)).toEqual({ value: 1, currency: 'USD' });
    expect(validateAmount({ value: 1000, currency: 'JPY', extra: true }, 1000)).toEqual({ value: 1000, currency: 'JPY' });
  });
});

describe('major-unit strings', () => {
  const table: [number, string, string][] = [
    [1234, 'USD', '12.34'],
    [5, 'USD', '0.05'],
    [100, 'USD', '1.00'],
    [1, 'USD', '0.01'],
    [5, 'JPY', '5'],
    [1300, 'USD', '13.00'],
    [9_007_199_254_740_991, 'USD', '90071992547409.91'],
  ];
  for (const [minor, cur, text] of table) {
    it(`${minor} ${cur} ↔ "${text}"`, () => {
      expect(toMajorString({ value: minor, currency: cur })).toBe(text);
      expect(fromMajorString(text, cur)).toEqual({ value: minor, currency: cur });
    });
  }

  it('formats negatives with a sign', () => {
    expect(toMajorString({ value: -250, currency: 'USD' })).toBe('-2.50');
  });

  it('parses fewer decimals than the currency has', () => {
    expect(fromMajorString('13', 'USD').value).toBe(1300);
    expect(fromMajorString('13.5', 'USD').value).toBe(1350);
    expect(fromMajorString(' 0.10 ', 'USD').value).toBe(10);
  });

  for (const bad of ['1.234', '-1.00', '1e3', '', '.5', '1.', 'abc', '1,00', '+1']) {
    it(`rejects ${JSON.stringify(bad)}`, () => {
      expect(code(() => fromMajorString(bad, 'USD'))).toBe('invalid_amount');
    });
  }
  it('rejects decimals for a zero-decimal currency', () => {
    expect(code(() => fromMajorString('5.0', 'JPY'))).toBe('invalid_amount');
  });
});

describe('major-unit numbers (JSON wire formats)', () => {
  it('round-trips without float drift', () => {
    expect(toMajorNumber({ value: 1999, currency: 'AED' })).toBe(19.99);
    expect(fromMajorNumber(0.1 + 0.2, 'USD')).toEqual({ value: 30, currency: 'USD' });
    expect(fromMajorNumber(19.99, 'AED').value).toBe(1999);
  });
  it('refuses sub-minor precision', () => {
    expect(code(() => fromMajorNumber(1.005, 'USD'))).toBe('invalid_amount');
  });
});

describe('helpers', () => {
  it('knows exponents and refuses unknown currencies', () => {
    expect(currencyExponent('USD')).toBe(2);
    expect(currencyExponent('KRW')).toBe(0);
    expect(code(() => currencyExponent('BTC'))).toBe('unsupported_currency');
  });
  it('adds same-currency money and refuses mixing', () => {
    expect(addMoney({ value: 150, currency: 'USD' }, { value: 275, currency: 'USD' })).toEqual({ value: 425, currency: 'USD' });
    expect(code(() => addMoney({ value: 1, currency: 'USD' }, { value: 1, currency: 'NZD' }))).toBe('currency_mismatch');
  });
  it('formats for display with the currency exponent', () => {
    expect(formatMoney({ value: 1250, currency: 'USD' }, 'en-US')).toBe('$12.50');
    expect(formatMoney({ value: 500, currency: 'JPY' }, 'en-US')).toBe('¥500');
  });
});

describe('one money format for the kiosk, the wallet page and the e-receipt', () => {
  const nzd = { value: 550, currency: 'NZD' };
  it('shows the bare symbol in the currency’s own country, the unambiguous one elsewhere', () => {
    expect(formatMoney(nzd, 'en-NZ')).toBe('$5.50');
    expect(formatMoney(nzd, 'en-US')).toBe('NZ$5.50');
    expect(formatMoney(nzd, 'zh-CN', 'en-NZ')).toBe('$5.50');
  });
  it('the wallet page (no store) formats a charge as the store in its currency’s country does', () => {
    expect(formatMoney(nzd, 'en-US', homeLocaleOf('NZD'))).toBe(formatMoney(nzd, 'en-NZ'));
    expect(formatMoney({ value: 1250, currency: 'USD' }, 'en-US', homeLocaleOf('USD'))).toBe('$12.50');
  });
});
