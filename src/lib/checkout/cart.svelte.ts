// The sale being rung up: cart lines, the keypad entry and the order id. The order id is made when the sale
// starts and kept through cancelled/declined attempts, so the proxy sees every attempt for the same order.
import type { CatalogueItem } from '../../shared/api';
import type { Money } from '../../shared/money';
import { addItem, addOpenAmount, cartTotal, changeQty, itemCount, type CartLine } from './cart-math';
import { entryValue, pressKey, type KeypadKey } from './keypad';

const newId = () => crypto.randomUUID();

export class Sale {
  lines = $state<CartLine[]>([]);
  orderId = $state(newId());
  entry = $state('');
  /** Bumped when a key is refused, so the keypad can flash "maximum reached". */
  refusedAt = $state(0);
  currency = $state('USD');
  maxMinor = $state(Number.MAX_SAFE_INTEGER);

  total: Money = $derived(cartTotal(this.lines, this.currency));
  count: number = $derived(itemCount(this.lines));
  entryAmount: Money = $derived({ value: entryValue(this.entry), currency: this.currency });
  overMax: boolean = $derived(this.total.value > this.maxMinor);

  configure(currency: string, maxMinor: number): void {
    if (currency !== this.currency) {
      this.lines = [];
      this.entry = '';
    }
    this.currency = currency;
    this.maxMinor = maxMinor;
  }

  press(key: KeypadKey): void {
    const r = pressKey(this.entry, key, this.maxMinor);
    this.entry = r.entry;
    if (r.refused) this.refusedAt = Date.now();
  }

  addEntry(): boolean {
    const value = entryValue(this.entry);
    if (value <= 0) return false;
    this.lines = addOpenAmount(this.lines, { value, currency: this.currency }, this.currency, newId);
    this.entry = '';
    return true;
  }

  add(item: CatalogueItem): void {
    this.lines = addItem(this.lines, item, this.currency, newId);
  }

  inc(lineId: string): void {
    this.lines = changeQty(this.lines, lineId, +1);
  }

  dec(lineId: string): void {
    this.lines = changeQty(this.lines, lineId, -1);
  }

  clearLines(): void {
    this.lines = [];
  }

  /** After a paid order: a fresh order id so nothing can ever be charged against the paid one again. */
  reset(): void {
    this.lines = [];
    this.entry = '';
    this.orderId = newId();
  }
}

export const sale = new Sale();
