// PayBy's vocabulary → ours: the one status table, head.code kinds, decline wording, AED JSON numbers,
// subject limit and order-number rules (spec providers/payby.md §4–§8).
import { describe, expect, it } from 'vitest';
import { fromMajorNumber, toMajorNumber } from '../../src/shared/money.ts';
import { providerReference } from '../../server/payments/reference.ts';
import {
  classifyHeadCode,
  declineReason,
  fromPayByAmount,
  isValidMerchantOrderNo,
  mapOrderStatus,
  PAYBY_STATUSES,
  paybySubject,
  REFUND_STATUS_MAP,
  STATUS_MAP,
  SUBJECT_MAX,
  toPayByAmount,
} from '../../server/providers/payby/mapping.ts';
import { canTransition } from '../../src/shared/payment.ts';

const aed = (value: number) => ({ value, currency: 'AED' });

describe('PayBy status table', () => {
  it('has one row per PayBy status', () => {
    expect(Object.keys(STATUS_MAP).sort()).toEqual([...PAYBY_STATUSES].sort());
  });

  it('maps plain statuses', () => {
    expect(mapOrderStatus({ status: 'CREATED', revoked: false, paid: false })).toBe('pending');
    expect(mapOrderStatus({ status: 'PAID_SUCCESS', revoked: false, paid: true })).toBe('succeeded');
    expect(mapOrderStatus({ status: 'SETTLED', revoked: false, paid: true })).toBe('succeeded');
  });

  it('tells a decline from a cancel from an expiry among FAILURE orders', () => {
    expect(mapOrderStatus({ status: 'FAILURE', revoked: false, paid: false, failCode: '92000' })).toBe('failed');
    expect(mapOrderStatus({ status: 'FAILURE', revoked: false, paid: false, failCode: '504', failDes: 'SERVICE_TIMEOUT' })).toBe('expired');
    expect(mapOrderStatus({ status: 'FAILURE', revoked: false, paid: false, expiredTime: 1000 }, 2000)).toBe('expired');
    expect(mapOrderStatus({ status: 'FAILURE', revoked: false, paid: false, expiredTime: 3000 }, 2000)).toBe('cancelled');
  });

  it('revoked: paid orders are reversed (FAILURE or SETTLED), unpaid ones cancelled', () => {
    expect(mapOrderStatus({ status: 'FAILURE', revoked: true, paid: true })).toBe('reversed');
    expect(mapOrderStatus({ status: 'SETTLED', revoked: true, paid: true })).toBe('reversed');
    expect(mapOrderStatus({ status: 'FAILURE', revoked: true, paid: false })).toBe('cancelled');
  });

  it('every mapped status is reachable from pending in our state machine (or is pending)', () => {
    for (const row of Object.values(STATUS_MAP)) {
      for (const s of [row.normal, row.timedOut, row.declined, row.revokedUnpaid].filter(Boolean)) {
        expect(s === 'pending' || canTransition('pending', s!) || canTransition('unknown', s!)).toBe(true);
      }
    }
  });

  it('refund statuses', () => {
    expect(REFUND_STATUS_MAP).toEqual({ CREATED: 'pending', REFUNDED_SETTLED: 'succeeded', SUCCESS: 'succeeded', FAILURE: 'failed' });
  });
});

describe('PayBy head codes', () => {
  it('system errors and timeouts leave the outcome unknown; refusals do not', () => {
    expect(classifyHeadCode('0', 'placeOrder')).toBe('ok');
    expect(classifyHeadCode('500', 'placeOrder')).toBe('unknown');
    expect(classifyHeadCode('504', 'getOrder')).toBe('unknown');
    expect(classifyHeadCode('400', 'placeOrder')).toBe('refused');
    expect(classifyHeadCode('402', 'refund')).toBe('refused');
    expect(classifyHeadCode('62016', 'placeOrder')).toBe('refused');
    expect(classifyHeadCode('62039', 'revokeOrder')).toBe('unknown');
  });

  it('unlisted codes are unknown only where money can move', () => {
    expect(classifyHeadCode('58123', 'placeOrder')).toBe('unknown');
    expect(classifyHeadCode('58123', 'refund')).toBe('unknown');
    expect(classifyHeadCode('58123', 'getOrder')).toBe('refused');
  });

  it('declines only where a verdict is expected', () => {
    expect(classifyHeadCode('601', 'placeOrder')).toBe('decline');
    expect(classifyHeadCode('601', 'refund')).toBe('refused');
    expect(classifyHeadCode('62006', 'refund')).toBe('decline');
    expect(classifyHeadCode('62006', 'placeOrder')).toBe('refused');
    expect(classifyHeadCode('62004', 'getOrder')).toBe('not_found');
    expect(classifyHeadCode('62001', 'cancelOrder')).toBe('state');
  });

  it('cashier-fit decline reasons', () => {
    expect(declineReason('92000', 'RISK_REJECTED')).toMatchObject({ code: 'risk_rejected' });
    expect(declineReason('92003', undefined).message).toMatch(/not verified/);
    expect(declineReason('92004', 'AUTHCODE_USED')).toMatchObject({ code: 'code_used' });
    expect(declineReason('92004', 'AUTHCODE_EXPIRED')).toMatchObject({ code: 'code_expired' });
    expect(declineReason('92004', 'AUTHCODE_INVALID')).toMatchObject({ code: 'code_invalid' });
    expect(declineReason('PAYER_DECLINED', 'PAYER_DECLINED')).toMatchObject({ code: 'declined' });
    expect(declineReason(undefined, undefined).message).toMatch(/PayBy/);
  });
});

describe('AED amounts as JSON numbers (toMajorNumber at the edge)', () => {
  it('converts fils to dirhams exactly and serialises as a number', () => {
    expect(toPayByAmount(aed(1234))).toEqual({ currency: 'AED', amount: 12.34 });
    expect(toPayByAmount(aed(5)).amount).toBe(0.05);
    expect(toPayByAmount(aed(100)).amount).toBe(1);
    expect(toPayByAmount(aed(1)).amount).toBe(0.01);
    expect(JSON.stringify(toPayByAmount(aed(1234)))).toBe('{"currency":"AED","amount":12.34}');
    expect(JSON.stringify(toPayByAmount(aed(1230)))).toBe('{"currency":"AED","amount":12.3}');
    expect(toPayByAmount(aed(99_999_999_999_999)).amount).toBe(999999999999.99);
  });

  it('round-trips every fils value in a wide range without float drift', () => {
    for (let v = 1; v <= 200_000; v += 7) expect(fromMajorNumber(toMajorNumber(aed(v)), 'AED').value).toBe(v);
    for (const v of [10_000_001, 123_456_789_012, 99_999_999_999_999]) expect(fromPayByAmount(toPayByAmount(aed(v)))).toEqual(aed(v));
  });

  it('refuses other currencies, more than 12 integer digits and non-positive amounts', () => {
    expect(() => toPayByAmount({ value: 100, currency: 'USD' })).toThrow(/AED only/);
    expect(() => toPayByAmount({ value: 100, currency: 'NZD' })).toThrow(/AED only/);
    expect(() => toPayByAmount(aed(100_000_000_000_000))).toThrow(/12 integer digits/);
    expect(() => toPayByAmount(aed(0))).toThrow();
    expect(() => toPayByAmount(aed(1.5))).toThrow();
  });

  it('reads PayBy amounts back, refusing strings and sub-fils precision', () => {
    expect(fromPayByAmount({ currency: 'AED', amount: 12.34 })).toEqual(aed(1234));
    expect(fromPayByAmount({ currency: 'AED', amount: '12.34' })).toBeUndefined();
    expect(fromPayByAmount({ currency: 'AED', amount: 12.345 })).toBeUndefined();
    expect(fromPayByAmount(null)).toBeUndefined();
  });
});

describe('subject and merchantOrderNo', () => {
  it('keeps subject within 12 UTF-16 units without splitting a character', () => {
    expect(paybySubject(undefined)).toBe('Kiosk sale');
    expect(paybySubject('   ')).toBe('Kiosk sale');
    expect(paybySubject('Coffee')).toBe('Coffee');
    expect(paybySubject('Two flat whites and a muffin')).toBe('Two flat whi');
    expect(paybySubject('Coffee and cake')).toBe('Coffee and c');
    expect(paybySubject('Tea\n\tfor two')).toBe('Tea for two');
    const emoji = paybySubject('ABCDEFGHIJK☕☕');
    expect(emoji.length).toBeLessThanOrEqual(SUBJECT_MAX);
    const surrogate = paybySubject('ABCDEFGHIJK😀');
    expect(surrogate).toBe('ABCDEFGHIJK');
    expect(surrogate.length).toBeLessThanOrEqual(SUBJECT_MAX);
    expect(paybySubject('قهوة عربية مع تمر').length).toBeLessThanOrEqual(SUBJECT_MAX);
  });

  it('accepts our derived references and refuses what PayBy would', () => {
    expect(isValidMerchantOrderNo(providerReference('term-1', 'idem-key'))).toBe(true);
    expect(isValidMerchantOrderNo('KIOSK1-20250101-0001')).toBe(true);
    expect(isValidMerchantOrderNo('a'.repeat(64))).toBe(true);
    expect(isValidMerchantOrderNo('a'.repeat(65))).toBe(false);
    expect(isValidMerchantOrderNo('has space')).toBe(false);
    expect(isValidMerchantOrderNo('dot.ted')).toBe(false);
    expect(isValidMerchantOrderNo('')).toBe(false);
  });
});
