// The store's business day (src/shared/business-day.ts) and how the history reads `q` (payments/history.ts).
import { describe, expect, it } from 'vitest';
import { businessDay, dayStart, isTimeZone, nextDay } from '../../src/shared/business-day';
import { shortRef } from '../../src/shared/short-ref';
import { decodeCursor, encodeCursor, searchLegs, timeBound } from '../../server/payments/history.ts';
import { formatReceiptNo } from '../../server/payments/receipts.ts';

describe('business day', () => {
  it("is the calendar date in the store's timezone", () => {
    const at = new Date('2026-03-01T04:30:00Z');
    expect(businessDay(at, 'America/New_York')).toBe('2026-02-28');
    expect(businessDay(at, 'Pacific/Auckland')).toBe('2026-03-01');
    expect(businessDay(at, 'UTC')).toBe('2026-03-01');
  });

  it('starts at local midnight, also on DST change days', () => {
    expect(dayStart('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T05:00:00.000Z');
    expect(dayStart('2026-03-09', 'America/New_York').toISOString()).toBe('2026-03-09T04:00:00.000Z');
    expect(dayStart('2026-04-05', 'Pacific/Auckland').toISOString()).toBe('2026-04-04T11:00:00.000Z');
    expect(dayStart('2026-12-04', 'Asia/Dubai').toISOString()).toBe('2026-12-03T20:00:00.000Z');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  it('knows IANA names', () => {
    expect(isTimeZone('Pacific/Auckland')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('history q and cursors', () => {
  it('reads q every way it can match, and not at all when nothing could', () => {
    expect(searchLegs('12.50', 'USD')).toEqual([{ kind: 'amount', value: 1250 }]);
    expect(searchLegs('0042', 'USD')).toEqual([
      { kind: 'amount', value: 4200 },
      { kind: 'code', suffix: '0042' },
      { kind: 'providerRef', ref: '0042' },
    ]);
    expect(searchLegs('20261204-42', 'USD')).toEqual([
      { kind: 'receipt', number: '20261204-0042' },
      { kind: 'providerRef', ref: '20261204-42' },
    ]);
    expect(searchLegs('…ABCDEF123456', 'USD')).toEqual([
      { kind: 'providerRef', ref: 'ABCDEF123456' },
      { kind: 'providerRefEnd', tail: 'ABCDEF123456' },
    ]);
    expect(searchLegs('1.234', 'USD')).toEqual([]);
    expect(searchLegs("x' or 1=1", 'USD')).toEqual([]);
    expect(searchLegs('a%b', 'USD')).toEqual([]);
  });

  it('cursors round-trip and refuse anything else', () => {
    const c = encodeCursor({ createdAt: '2026-12-04T10:00:00.000Z', id: 'pay_1' });
    expect(decodeCursor(c)).toEqual({ createdAt: '2026-12-04T10:00:00.000Z', id: 'pay_1' });
    expect(() => decodeCursor('bm90LWpzb24')).toThrow(/cursor/);
  });

  it("a date bound is the store's day; an instant is exact", () => {
    expect(timeBound('2026-02-28', 'America/New_York', 'from')).toBe('2026-02-28T05:00:00.000Z');
    expect(timeBound('2026-02-28', 'America/New_York', 'to')).toBe('2026-03-01T05:00:00.000Z');
    expect(timeBound('2026-02-28T10:00:00+01:00', 'UTC', 'from')).toBe('2026-02-28T09:00:00.000Z');
  });
});

describe('printed ids', () => {
  it('receipt numbers and short references fit an 80 mm line', () => {
    expect(formatReceiptNo('2026-12-04', 42)).toBe('20261204-0042');
    expect(formatReceiptNo('2026-12-04', 12345)).toBe('20261204-12345');
    expect(shortRef('29123456789012345678')).toBe('29123456789012345678');
    const uuid = '3f2a9c1e-7b4d-4e8a-9f00-1234567890ab';
    expect(shortRef(uuid)).toBe('…f00-1234567890ab');
    expect(shortRef(uuid).length).toBeLessThanOrEqual(17);
  });
});
