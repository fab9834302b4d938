// PWA pieces that do not need a browser: the update gate (held back during a payment), the service-worker
// route patterns (never cache the API; no shell fallback for API/wallet navigations) and the icon files.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UpdateGate } from '../../src/lib/offline/update-gate';
import { NAVIGATION_DENYLIST, NETWORK_ONLY } from '../../src/lib/offline/sw-routes';
import { crc32, ICONS, renderIcon } from '../../scripts/make-icons';

describe('update gate', () => {
  it('offers an update only when nothing holds it, and offers it again after the last hold is released', () => {
    const gate = new UpdateGate();
    const offers: boolean[] = [];
    gate.subscribe((s) => offers.push(s.offer));
    gate.hold('payment');
    gate.setAvailable(true);
    expect(gate.state).toEqual({ available: true, holds: ['payment'], offer: false });
    expect(gate.canApply).toBe(false);
    gate.hold('receipt-printing');
    gate.release('payment');
    expect(gate.canApply).toBe(false);
    gate.release('receipt-printing');
    expect(gate.canApply).toBe(true);
    expect(offers).toEqual([false, false, false, false, false, true]);
  });

  it('is not released by an unrelated reason and has nothing to apply before an update arrives', () => {
    const gate = new UpdateGate();
    gate.hold('payment');
    gate.release('other');
    gate.setAvailable(true);
    expect(gate.state.offer).toBe(false);
    const idle = new UpdateGate();
    expect(idle.canApply).toBe(false);
  });
});

describe('service worker routes', () => {
  const deny = (path: string) => NAVIGATION_DENYLIST.some((r) => r.test(path));

  it('falls back to the app shell only for kiosk navigations', () => {
    for (const p of [
      '/api/terminal',
      '/api',
      '/sim/pockyt/control/codes',
      '/webhooks/pockyt',
      '/wallet',
      '/wallet.html',
      '/wallet?x=1',
      '/healthz',
    ]) {
      expect(deny(p), p).toBe(true);
    }
    for (const p of ['/', '/?pair=ABC123', '/orders', '/settings', '/walletless', '/apis']) expect(deny(p), p).toBe(false);
  });

  it('routes API, simulator, webhook and health GETs network-only, but leaves the SSE stream and the shell alone', () => {
    for (const u of [
      'http://k:8080/api/payments/p1',
      'https://kiosk.example/healthz',
      'http://k/sim/pockyt/x',
      'http://k/webhooks/payby',
      'http://k/api/orders?status=queued',
    ]) {
      expect(NETWORK_ONLY.test(u), u).toBe(true);
    }
    for (const u of [
      'http://k/api/events',
      'http://k/api/events?x=1',
      'http://k/assets/kiosk-abc.js',
      'http://k/',
      'http://k/index.html',
    ]) {
      expect(NETWORK_ONLY.test(u), u).toBe(false);
    }
  });
});

describe('manifest icons', () => {
  it.each(ICONS)('public/$file is a valid $size×$size PNG matching the generator', ({ file, size, fullBleed }) => {
    const png = readFileSync(resolve(import.meta.dirname, '../../public', file));
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.toString('ascii', 12, 16)).toBe('IHDR');
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([size, size]);
    expect(png.readUInt32BE(29)).toBe(crc32(png.subarray(12, 29)));
    expect(png.equals(renderIcon(size, fullBleed))).toBe(true);
    if (fullBleed) {
      // Maskable: every pixel opaque (the launcher crops it to its own shape).
      const idat = png.indexOf('IDAT');
      const raw = inflateSync(png.subarray(idat + 4, idat + 4 + png.readUInt32BE(idat - 4)));
      for (let y = 0; y < size; y += 37) for (let x = 0; x < size; x += 37) expect(raw[y * (size * 4 + 1) + 1 + x * 4 + 3]).toBe(255);
    }
  });
});
