import { describe, expect, it } from 'vitest';
import {
  addItem,
  addOpenAmount,
  cartTotal,
  changeQty,
  itemCount,
  lineTotal,
  MAX_QTY,
  type CartLine,
} from '../../src/lib/checkout/cart-math';
import { pressKey, type KeypadKey } from '../../src/lib/checkout/keypad';
import { formatMoney } from '../../src/shared/money';

const USD = (value: number) => ({ value, currency: 'USD' });
let n = 0;
const id = () => `l${++n}`;

describe('cart math', () => {
  const coffee = { sku: 'coffee', name: 'Coffee', price: USD(450) };
  const muffin = { sku: 'muffin', name: 'Muffin', price: USD(325) };

  it('merges repeated items, keeps open amounts separate, totals in minor units', () => {
    let lines: CartLine[] = [];
    lines = addItem(lines, coffee, 'USD', id);
    lines = addItem(lines, muffin, 'USD', id);
    lines = addItem(lines, coffee, 'USD', id);
    lines = addOpenAmount(lines, USD(1), 'USD', id);
    lines = addOpenAmount(lines, USD(1), 'USD', id);
    expect(lines.map((l) => [l.sku, l.qty])).toEqual([
      ['coffee', 2],
      ['muffin', 1],
      [null, 1],
      [null, 1],
    ]);
    expect(cartTotal(lines, 'USD')).toEqual(USD(450 * 2 + 325 + 2));
    expect(itemCount(lines)).toBe(5);
    expect(formatMoney(cartTotal(lines, 'USD'), 'en-US')).toBe('$12.27');
  });

  it('sums 0.10 + 0.20 exactly (no floating point)', () => {
    let lines: CartLine[] = [];
    lines = addOpenAmount(lines, USD(10), 'USD', id);
    lines = addOpenAmount(lines, USD(20), 'USD', id);
    expect(cartTotal(lines, 'USD').value).toBe(30);
  });

  it('qty +/- : 0 removes the line, capped at MAX_QTY, other lines untouched', () => {
    let lines = addItem(addItem([], coffee, 'USD', id), muffin, 'USD', id);
    const [c, m] = lines;
    lines = changeQty(lines, c.id, +2);
    expect(lineTotal(lines[0])).toEqual(USD(1350));
    lines = changeQty(lines, m.id, -1);
    expect(lines.map((l) => l.sku)).toEqual(['coffee']);
    lines = changeQty(lines, c.id, +5000);
    expect(lines[0].qty).toBe(MAX_QTY);
  });

  it('refuses prices in another currency or non-integer minor units', () => {
    expect(() => addItem([], { sku: 'x', name: 'X', price: { value: 100, currency: 'NZD' } }, 'USD', id)).toThrow(/NZD/);
    expect(() => addOpenAmount([], USD(1.5), 'USD', id)).toThrow(/whole number/);
    expect(() => addOpenAmount([], USD(0), 'USD', id)).toThrow();
  });

  it('formats with the store locale and currency exponent', () => {
    expect(formatMoney({ value: 123456, currency: 'EUR' }, 'de-DE')).toMatch(/^1\.234,56\s€$/);
    expect(formatMoney({ value: 1500, currency: 'JPY' }, 'ja-JP')).toMatch(/1,500/);
  });
});

describe('keypad', () => {
  const type = (keys: KeypadKey[], max = 1_000_000) => keys.reduce((e, k) => pressKey(e, k, max).entry, '');

  it('fills from the right in minor units, with 00, back and clear', () => {
    expect(type(['1', '2', '5', '0'])).toBe('1250');
    expect(type(['0', '0', '7'])).toBe('7');
    expect(type(['1', '00'])).toBe('100');
    expect(type(['1', '2', 'back'])).toBe('1');
    expect(type(['1', '2', 'clear', '3'])).toBe('3');
  });

  it('refuses a key that would pass the store maximum', () => {
    expect(pressKey('999', '9', 5000)).toEqual({ entry: '999', refused: true });
    expect(pressKey('50', '00', 5000)).toEqual({ entry: '5000', refused: false });
  });
});
