import { describe, expect, it } from 'vitest';
import {
  CENTRAPAY_STATUSES,
  CREATE_DECLINES,
  declineFor,
  fromCentrapayMonetary,
  isCentrapayStatus,
  mapStatus,
  STATUS_MAP,
  toCentrapayMonetary,
} from '../../server/providers/centrapay/mapping.ts';
import { MoneyError } from '../../src/shared/money.ts';

const errCode = (fn: () => unknown): string => {
  try {
    fn();
  } catch (err) {
    if (err instanceof MoneyError) return err.code;
    throw err;
  }
  return 'no error';
};

describe('Centrapay status table', () => {
  it.each([
    ['new', undefined, 'pending'],
    ['paid', undefined, 'succeeded'],
    ['refunded', undefined, 'succeeded'],
    ['expired', undefined, 'expired'],
    ['cancelled', 'CANCELLED_BY_MERCHANT', 'cancelled'],
    ['cancelled', 'PAYMENT_REQUEST_EXPIRED', 'expired'],
    ['cancelled', 'DECLINED_BY_PATRON', 'failed'],
    ['cancelled', 'CANCELLED_BY_PATRON', 'failed'],
    ['cancelled', 'PATRON_CODE_INVALID', 'failed'],
    ['cancelled', 'NO_AVAILABLE_PAYMENT_OPTIONS', 'failed'],
    ['cancelled', 'SOMETHING_NEW', 'failed'],
    ['cancelled', undefined, 'failed'],
  ] as const)('%s (%s) → %s', (status, reason, ours) => {
    expect(mapStatus(status, reason)).toBe(ours);
  });

  it('covers exactly the statuses it accepts', () => {
    expect(Object.keys(STATUS_MAP).sort()).toEqual([...CENTRAPAY_STATUSES].sort());
    expect(isCentrapayStatus('paid')).toBe(true);
    expect(isCentrapayStatus('PAID')).toBe(false);
    expect(isCentrapayStatus('success')).toBe(false);
    expect(isCentrapayStatus(undefined)).toBe(false);
  });
});

describe('Centrapay declines', () => {
  it('gives the cashier something to do for each code the kiosk can meet', () => {
    expect(declineFor('PATRON_CODE_INVALID')).toEqual({ code: 'code_invalid', message: expect.stringMatching(/refresh/) });
    expect(declineFor('CHECKSUM_FAILED')).toEqual({ code: 'code_misread', message: expect.stringMatching(/scan it again/) });
    expect(declineFor('NO_AVAILABLE_PAYMENT_OPTIONS')).toEqual({
      code: 'no_payment_options',
      message: expect.stringMatching(/another payment method/),
    });
    expect(declineFor('DECLINED_BY_PATRON').code).toBe('declined_by_customer');
    expect(declineFor('INSUFFICIENT_ASSET_VALUE').code).toBe('insufficient_funds');
    expect(declineFor('NEVER_HEARD_OF_IT')).toEqual({ code: 'declined', message: expect.stringMatching(/Declined/) });
    expect(declineFor(undefined).code).toBe('declined');
  });

  it('treats only code/wallet refusals on create as declines', () => {
    expect([...CREATE_DECLINES].sort()).toEqual(['CHECKSUM_FAILED', 'NO_AVAILABLE_PAYMENT_OPTIONS', 'PATRON_CODE_INVALID']);
  });
});

describe('NZD at the Centrapay edge (minor-unit strings)', () => {
  it.each([
    [1250, '1250'],
    [1, '1'],
    [10000, '10000'],
    [99_999_999, '99999999'],
  ])('%i cents ↔ "%s"', (value, amount) => {
    expect(toCentrapayMonetary({ value, currency: 'NZD' })).toEqual({ amount, currency: 'NZD' });
    expect(fromCentrapayMonetary({ amount, currency: 'NZD' })).toEqual({ value, currency: 'NZD' });
  });

  it('never sends what Centrapay would refuse or misread', () => {
    expect(errCode(() => toCentrapayMonetary({ value: 0, currency: 'NZD' }))).toBe('invalid_amount');
    expect(errCode(() => toCentrapayMonetary({ value: -5, currency: 'NZD' }))).toBe('invalid_amount');
    expect(errCode(() => toCentrapayMonetary({ value: 12.5, currency: 'NZD' }))).toBe('invalid_amount');
    expect(errCode(() => toCentrapayMonetary({ value: 100_000_000, currency: 'NZD' }))).toBe('invalid_amount');
    expect(errCode(() => toCentrapayMonetary({ value: 100, currency: 'XXX' }))).toBe('unsupported_currency');
  });

  it('reads only integer minor units', () => {
    for (const amount of ['12.50', '-5', '1e3', ' 12', '', '0x10', '12,50']) {
      expect(errCode(() => fromCentrapayMonetary({ amount, currency: 'NZD' }))).toBe('invalid_amount');
    }
    // Some docs examples carry a JSON number; an integer is still unambiguous.
    expect(fromCentrapayMonetary({ amount: 100, currency: 'NZD' })).toEqual({ value: 100, currency: 'NZD' });
    expect(errCode(() => fromCentrapayMonetary({ amount: 1.5, currency: 'NZD' }))).toBe('invalid_amount');
    expect(errCode(() => fromCentrapayMonetary({ amount: '100' }))).toBe('invalid_currency');
    expect(errCode(() => fromCentrapayMonetary(null))).toBe('invalid_currency');
  });
});
