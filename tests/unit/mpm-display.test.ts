import { describe, expect, it } from 'vitest';
import { initialMpmState } from '../../src/lib/checkout/mpm-attempt';
import type { MpmState } from '../../src/lib/checkout/attempt-types';
import { isDisplayMessage } from '../../src/lib/display/protocol';
import { isDisplayRoute } from '../../src/lib/display/route';
import { displayViewOf, type KioskSnapshot } from '../../src/lib/display/view';

const NZD = (value: number) => ({ value, currency: 'NZD' });
const line = { id: 'l1', sku: 'flat-white', name: 'Flat White', unitPrice: NZD(550), qty: 2 };

function snap(over: Partial<KioskSnapshot> = {}): KioskSnapshot {
  return {
    route: 'sale',
    storeName: 'Demo Café (Wellington)',
    locale: 'en-NZ',
    lines: [],
    total: NZD(0),
    cpm: null,
    mpm: null,
    receipt: null,
    ...over,
  };
}

function mpm(over: Partial<MpmState>): MpmState {
  return { ...initialMpmState('o1', NZD(1100), { provider: 'centrapay', label: 'Centrapay QR' }), ...over };
}

const QR = { payload: 'http://x/sim/centrapay/pay/abc', expiresAt: '2025-01-01T00:01:00Z', shortCode: 'CP-ABC-DEF' };

describe('customer display view', () => {
  it('welcomes with the store name when nothing is rung up, then shows the cart and its total', () => {
    expect(displayViewOf(snap())).toEqual({ screen: 'idle', storeName: 'Demo Café (Wellington)', locale: 'en-NZ' });
    const v = displayViewOf(snap({ lines: [line], total: NZD(1100) }));
    expect(v).toMatchObject({ screen: 'cart', total: NZD(1100), lines: [{ name: 'Flat White', qty: 2, total: NZD(1100) }] });
  });

  it('shows the same QR payload, amount, provider and short code while the kiosk shows it', () => {
    const v = displayViewOf(snap({ route: 'mpm', lines: [line], total: NZD(1100), mpm: mpm({ phase: 'showing', qr: QR }) }));
    expect(v).toEqual({
      screen: 'qr',
      storeName: 'Demo Café (Wellington)',
      locale: 'en-NZ',
      amount: NZD(1100),
      payload: QR.payload,
      expiresAt: QR.expiresAt,
      label: 'Centrapay QR',
      provider: 'Centrapay',
      shortCode: 'CP-ABC-DEF',
    });
  });

  it('never shows a QR that is expired, being replaced or not made yet', () => {
    expect(displayViewOf(snap({ route: 'mpm', mpm: mpm({ phase: 'expired', qr: QR }) })).screen).toBe('failed');
    expect(displayViewOf(snap({ route: 'mpm', mpm: mpm({ phase: 'renewing', qr: QR }) })).screen).toBe('working');
    expect(displayViewOf(snap({ route: 'mpm', mpm: mpm({ phase: 'creating' }) })).screen).toBe('working');
    expect(displayViewOf(snap({ route: 'mpm', mpm: mpm({ phase: 'failed', qr: QR }) }))).toMatchObject({
      screen: 'failed',
      message: /No money was taken/,
    });
  });

  it('says paid (with the wallet) for a paid QR, a paid scanned code and the receipt screen', () => {
    expect(displayViewOf(snap({ route: 'mpm', mpm: mpm({ phase: 'paid', qr: QR }) }))).toMatchObject({
      screen: 'paid',
      wallet: 'Centrapay',
    });
    expect(displayViewOf(snap({ route: 'pay', cpm: { phase: 'paid', amount: NZD(500), vendor: 'centrapay' } }))).toMatchObject({
      screen: 'paid',
      amount: NZD(500),
    });
    expect(displayViewOf(snap({ route: 'paid', receipt: { amount: NZD(700), wallet: 'PayBy' } }))).toMatchObject({
      screen: 'paid',
      wallet: 'PayBy',
      amount: NZD(700),
    });
    expect(
      displayViewOf(snap({ route: 'pay', lines: [line], total: NZD(1100), cpm: { phase: 'declined', amount: NZD(1100), vendor: null } }))
        .screen,
    ).toBe('failed');
  });

  it('builds plain, cloneable objects (BroadcastChannel cannot clone state proxies)', () => {
    const proxied = new Proxy(mpm({ phase: 'showing', qr: QR }), {});
    const v = displayViewOf(snap({ route: 'mpm', mpm: proxied }));
    expect(structuredClone(v)).toEqual(v);
  });

  it('recognises its messages and its route', () => {
    expect(isDisplayMessage({ kind: 'hello' })).toBe(true);
    expect(isDisplayMessage({ kind: 'state', view: { screen: 'idle' } })).toBe(true);
    expect(isDisplayMessage({ kind: 'state' })).toBe(false);
    expect(isDisplayMessage('hello')).toBe(false);
    expect(isDisplayRoute({ pathname: '/display', hash: '' })).toBe(true);
    expect(isDisplayRoute({ pathname: '/', hash: '#/display' })).toBe(true);
    expect(isDisplayRoute({ pathname: '/displayed', hash: '' })).toBe(false);
    expect(isDisplayRoute({ pathname: '/', hash: '' })).toBe(false);
  });
});
