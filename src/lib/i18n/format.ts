// Money, dates and numbers for the kiosk's screens and receipts: Intl in the active language with the store's
// region, currency rule and time zone (locale.svelte.ts), the same everywhere.
import { formatDateTime, type When } from '../../shared/locale-format';
import { formatMoney, type Money } from '../../shared/money';
import { locale } from './locale.svelte';

export function money(m: Money): string {
  return formatMoney(m, locale.intl, locale.storeLocale ?? locale.intl);
}

/** A date and/or time in the store's zone; `options` as Intl.DateTimeFormat's (default: date and time, short). */
export function dateTime(when: When, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' }): string {
  return formatDateTime(when, locale.intl, locale.timeZone, options);
}

export function time(when: When, options: Intl.DateTimeFormatOptions = { hour: '2-digit', minute: '2-digit' }): string {
  return dateTime(when, options);
}

export function date(when: When, options: Intl.DateTimeFormatOptions = { dateStyle: 'medium' }): string {
  return dateTime(when, options);
}

export function number(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale.intl, options).format(n);
}
