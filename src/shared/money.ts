// Money is always an integer count of minor units plus an ISO 4217 code.
// Provider wire formats (decimal strings, JSON numbers) are converted only at the adapter edge.

export interface Money {
  value: number;
  currency: string;
}

/** ISO 4217 minor-unit exponents for the currencies this product deals in. */
const EXPONENTS: Record<string, number> = {
  USD: 2,
  NZD: 2,
  AED: 2,
  AUD: 2,
  CNY: 2,
  GBP: 2,
  EUR: 2,
  HKD: 2,
  SGD: 2,
  CAD: 2,
  JPY: 0,
  KRW: 0,
  IDR: 2,
  PHP: 2,
  THB: 2,
  MYR: 2,
};

export class MoneyError extends Error {
  constructor(
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'MoneyError';
  }
}

export function isSupportedCurrency(currency: string): boolean {
  return Object.prototype.hasOwnProperty.call(EXPONENTS, currency);
}

export function currencyExponent(currency: string): number {
  const exp = EXPONENTS[currency];
  if (exp === undefined) throw new MoneyError('unsupported_currency', `Unsupported currency ${JSON.stringify(currency)}`);
  return exp;
}

/** Validates an amount as received from a client: a positive safe integer of minor units. */
export function validateAmount(amount: unknown, maxMinor: number): Money {
  if (typeof amount !== 'object' || amount === null) {
    throw new MoneyError('invalid_amount', 'amount must be an object {value, currency}');
  }
  const { value, currency } = amount as Record<string, unknown>;
  if (typeof currency !== 'string' || !/^[A-Z]{3}$/.test(currency)) {
    throw new MoneyError('invalid_currency', 'amount.currency must be an ISO 4217 code such as "USD"');
  }
  currencyExponent(currency);
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new MoneyError('invalid_amount', 'amount.value must be a number of minor units (e.g. 1250 for 12.50)');
  }
  if (!Number.isInteger(value)) {
    throw new MoneyError('invalid_amount', 'amount.value must be a whole number of minor units; fractions of a cent are not money');
  }
  if (value <= 0) throw new MoneyError('invalid_amount', 'amount.value must be greater than zero');
  if (value > maxMinor || !Number.isSafeInteger(value)) {
    throw new MoneyError('amount_too_large', `amount.value exceeds the maximum of ${maxMinor} minor units`);
  }
  return { value, currency };
}

/** 1234 USD → "12.34"; 5 JPY → "5". Exact: integer arithmetic only. */
export function toMajorString(money: Money): string {
  const exp = currencyExponent(money.currency);
  if (!Number.isSafeInteger(money.value)) throw new MoneyError('invalid_amount', 'minor units must be a safe integer');
  const negative = money.value < 0;
  const digits = String(Math.abs(money.value)).padStart(exp + 1, '0');
  const major = exp === 0 ? digits : `${digits.slice(0, -exp)}.${digits.slice(-exp)}`;
  return negative ? `-${major}` : major;
}

/** "12.34" USD → 1234. Rejects more decimals than the currency has, exponents, signs and junk. */
export function fromMajorString(text: string, currency: string): Money {
  const exp = currencyExponent(currency);
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!m) throw new MoneyError('invalid_amount', `Not a decimal amount: ${JSON.stringify(text)}`);
  const [, whole, frac = ''] = m;
  if (frac.length > exp) throw new MoneyError('invalid_amount', `${currency} has ${exp} decimals; got ${JSON.stringify(text)}`);
  const value = Number(whole) * 10 ** exp + Number(frac.padEnd(exp, '0') || '0');
  if (!Number.isSafeInteger(value)) throw new MoneyError('invalid_amount', 'amount too large');
  return { value, currency };
}

/** For providers whose wire format is a JSON number: 1234 AED → 12.34 (exact for ≤ 2 decimals at these magnitudes). */
export function toMajorNumber(money: Money): number {
  return Number(toMajorString(money));
}

export function fromMajorNumber(n: number, currency: string): Money {
  const exp = currencyExponent(currency);
  const value = Math.round(n * 10 ** exp);
  if (Math.abs(value / 10 ** exp - n) > 1e-9) throw new MoneyError('invalid_amount', `${n} has too many decimals for ${currency}`);
  return { value, currency };
}

/** The country a locale tag points at ("en-NZ" → "NZ"), or null. */
export function regionOf(locale: string): string | null {
  try {
    return new Intl.Locale(locale).region ?? null;
  } catch {
    return null;
  }
}

/** A locale tag for the country whose currency this is (NZD → "und-NZ"): for a page that knows no store. */
export function homeLocaleOf(currency: string): string {
  return `und-${currency.slice(0, 2)}`;
}

/**
 * The one money format of the kiosk, the wallet page and the e-receipt: Intl in the reader's `locale`, with the
 * bare narrow symbol ("$5.50") only when the store is in the currency's own country (ISO 4217 codes start with
 * the ISO 3166 country), and the unambiguous symbol otherwise ("NZ$5.50" for NZD in a US store). `storeLocale`
 * is the store's locale (en-NZ); a page without one (the wallet) passes homeLocaleOf(currency): a charge is
 * in its store's currency.
 */
export function formatMoney(money: Money, locale = 'en-US', storeLocale = locale): string {
  const exp = currencyExponent(money.currency);
  const home = regionOf(storeLocale) === money.currency.slice(0, 2);
  return new Intl.NumberFormat(locale, {
    style: 'currency',
    currency: money.currency,
    currencyDisplay: home ? 'narrowSymbol' : 'symbol',
    minimumFractionDigits: exp,
    maximumFractionDigits: exp,
  }).format(money.value / 10 ** exp);
}

export function addMoney(a: Money, b: Money): Money {
  if (a.currency !== b.currency) throw new MoneyError('currency_mismatch', `Cannot add ${a.currency} and ${b.currency}`);
  return { value: a.value + b.value, currency: a.currency };
}
