import { describe, expect, it } from 'vitest';
import {
  classifyRetCode,
  declineReason,
  fromPockytAmount,
  isPockytStatus,
  POCKYT_STATUSES,
  STATUS_MAP,
  toPockytAmount,
} from '../../server/providers/pockyt/mapping.ts';

describe('Pockyt status table', () => {
  it.each([
    ['init', 'pending', false],
    ['dealing', 'pending', false],
    ['pending', 'pending', false],
    ['success', 'succeeded', true],
    ['failed', 'failed', true],
    ['closed', 'expired', true],
  ] as const)('%s → %s (final %s)', (pockyt, ours, final) => {
    expect(STATUS_MAP[pockyt]).toEqual({ status: ours, final });
  });

  it('covers exactly the documented statuses', () => {
    expect(Object.keys(STATUS_MAP).sort()).toEqual([...POCKYT_STATUSES].sort());
    expect(isPockytStatus('success')).toBe(true);
    expect(isPockytStatus('refunded')).toBe(false);
    expect(isPockytStatus('SUCCESS')).toBe(false);
    expect(isPockytStatus(undefined)).toBe(false);
  });
});

describe('Pockyt ret_code table', () => {
  it.each([
    ['000100', 'prepay', 'ok'],
    ['000000', 'prepay', 'unknown'],
    ['000000', 'add', 'unknown'],
    ['000080', 'prepay', 'unknown'],
    ['000080', 'cancel', 'unknown'],
    ['000023', 'prepay', 'decline'],
    ['000023', 'add', 'error'],
    ['000023', 'refund', 'decline'],
    ['000040', 'prepay', 'decline'],
    ['000040', 'cancel', 'error'],
    ['000020', 'prepay', 'error'],
    ['000022', 'add', 'error'],
    ['000030', 'query', 'error'],
    ['000010', 'add', 'error'],
    ['000021', 'query', 'not_found'],
    ['000021', 'cancel', 'not_found'],
    ['999999', 'prepay', 'unknown'],
    ['999999', 'query', 'error'],
  ] as const)('%s on %s → %s', (code, op, kind) => {
    expect(classifyRetCode(code, op)).toBe(kind);
  });

  it('gives the cashier an actionable reason', () => {
    expect(declineReason('000023', 'payment code already used')).toEqual({
      code: 'code_used',
      message: 'Payment code already used — ask for a fresh code',
    });
    expect(declineReason('000023', 'payment code expired').code).toBe('code_expired');
    expect(declineReason('000023', 'paymentBarcode is not valid').code).toBe('code_invalid');
    expect(declineReason('000040', 'account balance insufficient').code).toBe('insufficient_funds');
    expect(declineReason('000099', 'whatever').message).toContain('whatever');
  });
});

describe('Pockyt amounts', () => {
  it.each([
    [1300, '13.00'],
    [1, '0.01'],
    [1250, '12.50'],
    [100000, '1000.00'],
    [99, '0.99'],
  ])('%i minor ↔ %s', (minor, text) => {
    expect(toPockytAmount({ value: minor, currency: 'USD' })).toBe(text);
    expect(fromPockytAmount(text, 'USD')).toEqual({ value: minor, currency: 'USD' });
  });

  it('reads Pockyt short forms and refuses fractions of a cent', () => {
    expect(fromPockytAmount('13', 'USD').value).toBe(1300);
    expect(fromPockytAmount('13.5', 'USD').value).toBe(1350);
    expect(() => fromPockytAmount('13.001', 'USD')).toThrow();
    expect(() => fromPockytAmount('-1.00', 'USD')).toThrow();
    expect(() => fromPockytAmount('1e3', 'USD')).toThrow();
  });
});
