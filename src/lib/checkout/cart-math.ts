// Cart arithmetic in integer minor units (src/shared/money.ts). Pure functions returning new arrays, so the
// rules are testable without Svelte and the reactive cart just assigns the result.
import type { CatalogueItem } from '../../shared/api';
import { MoneyError, type Money } from '../../shared/money';
import { OPEN_AMOUNT_NAME } from '../../shared/orders';

export interface CartLine {
  id: string;
  /** Catalogue SKU, or null for an open (keypad) amount. */
  sku: string | null;
  name: string;
  unitPrice: Money;
  qty: number;
}

export const MAX_QTY = 999;
export { OPEN_AMOUNT_NAME };

function checkCurrency(price: Money, currency: string): void {
  if (price.currency !== currency) {
    throw new MoneyError('currency_mismatch', `Price is in ${price.currency}; this store sells in ${currency}`);
  }
  if (!Number.isSafeInteger(price.value) || price.value <= 0) {
    throw new MoneyError('invalid_amount', 'A price must be a positive whole number of minor units');
  }
}

export function lineTotal(line: CartLine): Money {
  const value = line.unitPrice.value * line.qty;
  if (!Number.isSafeInteger(value)) throw new MoneyError('invalid_amount', 'Line total too large');
  return { value, currency: line.unitPrice.currency };
}

export function cartTotal(lines: readonly CartLine[], currency: string): Money {
  let value = 0;
  for (const line of lines) {
    if (line.unitPrice.currency !== currency) {
      throw new MoneyError('currency_mismatch', `Cart line in ${line.unitPrice.currency}; cart is in ${currency}`);
    }
    value += lineTotal(line).value;
  }
  if (!Number.isSafeInteger(value)) throw new MoneyError('invalid_amount', 'Cart total too large');
  return { value, currency };
}

export function itemCount(lines: readonly CartLine[]): number {
  return lines.reduce((n, l) => n + l.qty, 0);
}

/** Adds one of a catalogue item; a second tap on the same item raises its quantity. */
export function addItem(lines: readonly CartLine[], item: CatalogueItem, currency: string, newId: () => string): CartLine[] {
  checkCurrency(item.price, currency);
  const existing = lines.find((l) => l.sku === item.sku);
  if (existing) return changeQty(lines, existing.id, +1);
  return [...lines, { id: newId(), sku: item.sku, name: item.name, unitPrice: { ...item.price }, qty: 1 }];
}

/** Each keypad amount is its own line: two open amounts of 5.00 are two things, not one thing twice. */
export function addOpenAmount(lines: readonly CartLine[], amount: Money, currency: string, newId: () => string): CartLine[] {
  checkCurrency(amount, currency);
  return [...lines, { id: newId(), sku: null, name: OPEN_AMOUNT_NAME, unitPrice: { ...amount }, qty: 1 }];
}

/** Quantity to 0 removes the line; quantity never goes above MAX_QTY. */
export function changeQty(lines: readonly CartLine[], lineId: string, delta: number): CartLine[] {
  const out: CartLine[] = [];
  for (const l of lines) {
    if (l.id !== lineId) {
      out.push(l);
      continue;
    }
    const qty = Math.min(MAX_QTY, l.qty + delta);
    if (qty > 0) out.push({ ...l, qty });
  }
  return out;
}

export function removeLine(lines: readonly CartLine[], lineId: string): CartLine[] {
  return lines.filter((l) => l.id !== lineId);
}
