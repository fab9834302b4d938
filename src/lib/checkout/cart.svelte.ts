// The sale being rung up: cart lines, the keypad entry and the order id. The order id is made when the sale
// starts and kept through cancelled/declined attempts, so the proxy sees every attempt for the same order.
import type { CatalogueItem } from '../../shared/api';
import type { Money } from '../../shared/money';
import { addItem, addOpenAmount, cartTotal, changeQty, itemCount, MAX_QTY, type CartLine } from './cart-math';
import { entryValue, pressKey, type KeypadKey } from './keypad';

const newId = () => crypto.randomUUID();
const STORAGE_KEY = 'kiosk.sale';

interface SavedSale {
  orderId: string;
  currency: string;
  lines: CartLine[];
}

// The sale survives a reload or crash with the same order id, so the proxy can tell the kiosk about a
// payment already made for it instead of the cashier charging the customer a second time.
function load(): SavedSale | null {
  try {
    const raw = typeof localStorage === 'undefined' ? null : localStorage.getItem(STORAGE_KEY);
    const v = raw ? (JSON.parse(raw) as SavedSale) : null;
    if (!v || typeof v.orderId !== 'string' || typeof v.currency !== 'string' || !Array.isArray(v.lines)) return null;
    const sane = v.lines.every(
      (l) =>
        l &&
        typeof l.id === 'string' &&
        typeof l.name === 'string' &&
        l.unitPrice?.currency === v.currency &&
        Number.isSafeInteger(l.unitPrice.value) &&
        l.unitPrice.value > 0 &&
        Number.isInteger(l.qty) &&
        l.qty > 0 &&
        l.qty <= MAX_QTY,
    );
    return sane ? v : null;
  } catch {
    return null;
  }
}

const saved = load();

export class Sale {
  lines = $state<CartLine[]>(saved?.lines ?? []);
  orderId = $state(saved?.orderId ?? newId());
  entry = $state('');
  /** Bumped when a key is refused, so the keypad can flash "maximum reached". */
  refusedAt = $state(0);
  currency = $state(saved?.currency ?? 'USD');
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
    this.save();
  }

  private save(): void {
    try {
      const v: SavedSale = { orderId: this.orderId, currency: this.currency, lines: $state.snapshot(this.lines) };
      localStorage.setItem(STORAGE_KEY, JSON.stringify(v));
    } catch {
      // storage unavailable: the sale just does not survive a reload
    }
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
    this.save();
    return true;
  }

  add(item: CatalogueItem): void {
    this.lines = addItem(this.lines, item, this.currency, newId);
    this.save();
  }

  inc(lineId: string): void {
    this.lines = changeQty(this.lines, lineId, +1);
    this.save();
  }

  dec(lineId: string): void {
    this.lines = changeQty(this.lines, lineId, -1);
    this.save();
  }

  clearLines(): void {
    this.lines = [];
    this.save();
  }

  /**
   * Loads a saved order (reopened from the Orders screen) into the cart under ITS order id, so its payment,
   * the upload and the journal all name the same order. Lines must be in the store's currency.
   */
  restore(orderId: string, lines: CartLine[]): void {
    if (lines.some((l) => l.unitPrice.currency !== this.currency)) {
      throw new Error(`This order is not in ${this.currency}, the currency this store sells in.`);
    }
    this.orderId = orderId;
    this.lines = lines.map((l) => ({ ...l, unitPrice: { ...l.unitPrice } }));
    this.entry = '';
    this.save();
  }

  /** After a paid order: a fresh order id so nothing can ever be charged against the paid one again. */
  reset(): void {
    this.lines = [];
    this.entry = '';
    this.orderId = newId();
    this.save();
  }
}

export const sale = new Sale();
