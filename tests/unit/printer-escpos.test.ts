// The ESC/POS bytes of each printed document, checked command by command (not a snapshot): a printer only
// prints what these sequences tell it, so each one a cashier relies on is asserted where it must appear.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadLocale } from '../../src/paraglide/locale-loader.js';
import type { Receipt } from '../../src/lib/checkout/receipt';
import { dayReportDocument } from '../../src/lib/hardware/printer/documents/day-report';
import { receiptDocument } from '../../src/lib/hardware/printer/documents/receipt';
import { refundSlipDocument } from '../../src/lib/hardware/printer/documents/refund-slip';
import { testPageDocument } from '../../src/lib/hardware/printer/documents/test-page';
import { encodeDocument } from '../../src/lib/hardware/printer/encode';
import type { ImageLike, TextBlock } from '../../src/lib/hardware/printer/layout';
import type { RasterPainter } from '../../src/lib/hardware/printer/render-raster';
import type { DayReport, PaymentDetail, RefundView } from '../../src/shared/api';

// A receipt prints in the language on screen, which the kiosk has loaded by then (src/lib/i18n/locale.svelte.ts).
beforeAll(async () => {
  await Promise.all([loadLocale('zh-CN'), loadLocale('ar')]);
});

const ESC = 0x1b;
const GS = 0x1d;
const INIT = [ESC, 0x40];
// The encoder lays lines out itself: centring is leading spaces, not ESC a.
const CENTRED = Array<number>(8).fill(0x20);
const BOLD_ON = [ESC, 0x45, 0x01];
const BOLD_OFF = [ESC, 0x45, 0x00];
const DOUBLE_SIZE = [GS, 0x21, 0x11];
const QR_PRINT = [GS, 0x28, 0x6b, 0x03, 0x00, 0x31, 0x51, 0x30];
const QR_MODEL_2 = [GS, 0x28, 0x6b, 0x04, 0x00, 0x31, 0x41, 0x32, 0x00];
const RASTER_IMAGE = [GS, 0x76, 0x30, 0x00];
const CUT_PARTIAL = [GS, 0x56, 0x01];
const ascii = (s: string) => [...Buffer.from(s, 'latin1')];

function find(hay: Uint8Array, needle: number[], from = 0): number {
  outer: for (let i = from; i <= hay.length - needle.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
/** The position of each sequence, in this order, or a failing expectation naming the first one missing. */
function inOrder(hay: Uint8Array, ...needles: [string, number[]][]): number[] {
  let at = 0;
  return needles.map(([name, n]) => {
    const i = find(hay, n, at);
    expect(i, `${name} (${Buffer.from(n).toString('hex')}) after byte ${at}`).toBeGreaterThanOrEqual(0);
    at = i + n.length;
    return i;
  });
}
/** QR "store data" (GS ( k pL pH 1 P 0 <data>): the encoded value must be the link, byte for byte. */
function qrStore(value: string): number[] {
  const len = value.length + 3;
  return [GS, 0x28, 0x6b, len & 0xff, len >> 8, 0x31, 0x50, 0x30, ...ascii(value)];
}

const receipt: Receipt = {
  storeName: 'Demo Mart',
  address: '1 Main St, Springfield',
  taxId: 'US-99-1234567',
  locale: 'en-US',
  orderId: 'o-1',
  paymentId: 'p-1',
  receiptNo: '20261205-0042',
  receiptPath: '/r/tok123',
  providerRef: '2026120512345678901234',
  wallet: 'Alipay',
  amount: { value: 1250, currency: 'USD' },
  lines: [
    { name: 'Coffee', qty: 2, unitPrice: { value: 400, currency: 'USD' }, total: { value: 800, currency: 'USD' } },
    { name: 'Crème brûlée', qty: 1, unitPrice: { value: 450, currency: 'USD' }, total: { value: 450, currency: 'USD' } },
  ],
  refunds: [],
  paidAt: '2026-12-05T10:00:00.000Z',
};
const origin = 'https://kiosk.example.com';

/** A painter that records what it was asked to draw and returns a solid block of the right width. */
class FakePainter implements RasterPainter {
  calls: { blocks: TextBlock[]; widthDots: number; rtl: boolean }[] = [];
  paint(blocks: TextBlock[], opts: { widthDots: number; rtl: boolean }): ImageLike {
    this.calls.push({ blocks, ...opts });
    const height = 24 * blocks.length;
    return { width: opts.widthDots, height, data: new Uint8ClampedArray(opts.widthDots * height * 4) };
  }
}

describe('receipt (English, code page text)', () => {
  const doc = receiptDocument(receipt, { lang: 'en', origin, logo: false });
  const { bytes, mode } = encodeDocument(doc, { width: 80 });

  it('is printer text: init, a code page, the store centred bold and large, lines, total in bold, QR, cut', () => {
    expect(mode).toBe('codepage');
    expect(find(bytes, INIT)).toBe(0);
    inOrder(
      bytes,
      ['centring spaces', CENTRED],
      ['bold', BOLD_ON],
      ['double size', DOUBLE_SIZE],
      ['code page ESC t', [ESC, 0x74]],
      ['store name', ascii('Demo Mart')],
      ['address', ascii('1 Main St, Springfield')],
      ['tax id', ascii('Tax ID US-99-1234567')],
      ['line', ascii('2 x Coffee')],
      ['line total', ascii('$8.00')],
      ['bold total', BOLD_ON],
      ['TOTAL', ascii('TOTAL')],
      ['amount', ascii('$12.50')],
      ['bold off', BOLD_OFF],
      ['receipt number', ascii('20261205-0042')],
      ['wallet', ascii('Alipay')],
      ['QR model 2', QR_MODEL_2],
      ['QR data: the e-receipt link', qrStore('https://kiosk.example.com/r/tok123')],
      ['QR print', QR_PRINT],
      ['hint', ascii('Scan for your e-receipt')],
      ['cut', CUT_PARTIAL],
    );
  });

  it('switches the code page for accented text instead of printing ?', () => {
    // "Crème brûlée": è and û are in CP437 (ESC t 0) at 0x8a and 0x96.
    expect(find(bytes, [0x43, 0x72, 0x8a, 0x6d, 0x65])).toBeGreaterThan(0);
    expect(find(bytes, ascii('Cr?me'))).toBe(-1);
  });

  it('fills 48 columns on 80 mm and 32 on 58 mm', () => {
    const rule = (n: number) => Array<number>(n).fill(0xc4);
    expect(find(bytes, rule(48))).toBeGreaterThan(0);
    const narrow = encodeDocument(doc, { width: 58 }).bytes;
    expect(find(narrow, rule(32))).toBeGreaterThan(0);
    expect(find(narrow, rule(33))).toBe(-1);
  });

  it('prints the logo as a raster image before the store name, and COPY on a reprint', () => {
    const logo: ImageLike = { width: 64, height: 16, data: new Uint8ClampedArray(64 * 16 * 4) };
    const withLogo = encodeDocument(receiptDocument({ ...receipt, reprint: true }, { lang: 'en', origin, logo: true }), {
      width: 80,
      logo,
    });
    const [img] = inOrder(
      withLogo.bytes,
      ['raster image', [...RASTER_IMAGE, 64 / 8, 0, 16, 0]],
      ['store', ascii('Demo Mart')],
      ['COPY', ascii('COPY')],
    );
    expect(img).toBeLessThan(find(withLogo.bytes, ascii('Demo Mart')));
    expect(find(bytes, RASTER_IMAGE)).toBe(-1);
  });

  it('uses the code page table of the printer family', () => {
    // "€" is 0xd5 in CP858: ESC t 13 on Epson's table; Star numbers its code pages differently (ESC GS t).
    const euro = receiptDocument({ ...receipt, wallet: 'Wallet €' }, { lang: 'en', origin, logo: false });
    expect(find(encodeDocument(euro, { width: 80, codepageMapping: 'epson' }).bytes, [ESC, 0x74, 13, 0xd5])).toBeGreaterThan(0);
    expect(find(encodeDocument(euro, { width: 80, codepageMapping: 'unknown-family' }).bytes, [ESC, 0x74, 13, 0xd5])).toBeGreaterThan(0);
    expect(find(encodeDocument(euro, { width: 80, codepageMapping: 'bixolon' }).bytes, [ESC, 0x74, 13, 0xd5])).toBe(-1);
  });
});

describe('receipt in Chinese and Arabic (raster text)', () => {
  it('draws the Chinese labels as an image and keeps the QR and cut as commands', () => {
    const painter = new FakePainter();
    const { bytes, mode } = encodeDocument(receiptDocument(receipt, { lang: 'zh-CN', origin, logo: false }), { width: 58, painter });
    expect(mode).toBe('raster');
    const drawn = painter.calls.flatMap((c) => c.blocks.map((b) => (b.kind === 'pair' ? b.left : b.kind === 'text' ? b.text : '')));
    expect(drawn).toContain('合计');
    expect(drawn).toContain('扫码获取电子收据');
    expect(painter.calls.every((c) => c.widthDots === 384 && !c.rtl)).toBe(true);
    inOrder(
      bytes,
      ['init', INIT],
      ['image', RASTER_IMAGE],
      ['QR data', qrStore('https://kiosk.example.com/r/tok123')],
      ['QR print', QR_PRINT],
      ['image after QR', RASTER_IMAGE],
      ['cut', CUT_PARTIAL],
    );
    // No label went out as code page text ('?' in place of each character).
    expect(find(bytes, ascii('TOTAL'))).toBe(-1);
    expect(find(bytes, ascii('??'))).toBe(-1);
  });

  it('draws Arabic right to left', () => {
    const painter = new FakePainter();
    encodeDocument(receiptDocument(receipt, { lang: 'ar', origin, logo: false }), { width: 80, painter });
    expect(painter.calls.length).toBeGreaterThan(0);
    expect(painter.calls.every((c) => c.rtl && c.widthDots === 576)).toBe(true);
    expect(painter.calls.flatMap((c) => c.blocks).some((b) => b.kind === 'pair' && b.left === 'المجموع')).toBe(true);
  });

  it('falls back to raster for an English receipt with a product name no code page holds', () => {
    const painter = new FakePainter();
    const mixed = { ...receipt, lines: [{ ...receipt.lines[0], name: '咖啡' }] };
    expect(encodeDocument(receiptDocument(mixed, { lang: 'en', origin, logo: false }), { width: 80, painter }).mode).toBe('raster');
  });
});

describe('refund slip, day report, test page', () => {
  it('refund slip: title, amount in bold, original receipt number, status', () => {
    const detail = {
      store: { name: 'Demo Mart', address: '1 Main St' },
      payment: { receipt: { number: '20261205-0042' } },
    } as unknown as PaymentDetail;
    const refund = { amount: { value: 500, currency: 'USD' }, status: 'succeeded', createdAt: '2026-12-05T11:00:00Z' } as RefundView;
    const { bytes } = encodeDocument(refundSlipDocument(detail, refund, 'en-US', 'en'), { width: 58 });
    inOrder(
      bytes,
      ['init', INIT],
      ['centred', CENTRED],
      ['bold', BOLD_ON],
      ['title', ascii('REFUND')],
      ['bold amount', BOLD_ON],
      ['amount', ascii('$5.00')],
      ['original receipt', ascii('20261205-0042')],
      ['status', ascii('Refunded')],
      ['cut', CUT_PARTIAL],
    );
    expect(find(bytes, QR_PRINT)).toBe(-1);
  });

  const report = {
    kind: 'Z',
    date: '2026-12-05',
    timezone: 'America/New_York',
    scope: 'terminal',
    storeId: 'demo-us',
    terminalId: 't-1',
    window: { from: '', to: '' },
    generatedAt: '2026-12-05T23:00:00Z',
    closed: { id: 'z1', number: 7, closedAt: '2026-12-05T23:00:00Z', closedBy: { staffId: 's', name: 'Sam', terminalId: 't-1' } },
    currencies: {
      USD: {
        gross: { value: 10000, currency: 'USD' },
        refunds: { value: 500, currency: 'USD' },
        net: { value: 9500, currency: 'USD' },
        salesCount: 12,
        refundsCount: 1,
        byProvider: {
          pockyt: {
            gross: { value: 10000, currency: 'USD' },
            refunds: { value: 500, currency: 'USD' },
            net: { value: 9500, currency: 'USD' },
            salesCount: 12,
            refundsCount: 1,
          },
        },
        byWallet: {},
      },
    },
    open: { count: 2, payments: [] },
    staff: [],
    reconciliation: {},
  } as unknown as DayReport;

  it('Z report: numbered title in large bold, totals per currency, by provider, open count', () => {
    const { bytes } = encodeDocument(dayReportDocument(report, 'en-US', 'en'), { width: 80 });
    inOrder(
      bytes,
      ['init', INIT],
      ['centred', CENTRED],
      ['bold', BOLD_ON],
      ['double size', DOUBLE_SIZE],
      ['Z number', ascii('Z REPORT #7')],
      ['day', ascii('Business day 2026-12-05')],
      ['closed by', ascii('Closed by Sam')],
      ['currency', ascii('USD')],
      ['gross', ascii('$100.00')],
      ['refunds', ascii('-$5.00')],
      ['net', ascii('$95.00')],
      ['by provider', ascii('By provider')],
      ['pockyt', ascii('pockyt (12)')],
      ['open', ascii('Open or unknown: 2')],
      ['cut', CUT_PARTIAL],
    );
  });

  it('X report: no number', () => {
    const { bytes } = encodeDocument(dayReportDocument({ ...report, kind: 'X', closed: null }, 'en-US', 'en'), { width: 80 });
    expect(find(bytes, ascii('X REPORT'))).toBeGreaterThan(0);
    expect(find(bytes, ascii('Z REPORT'))).toBe(-1);
  });

  it('test page: width stated, a full line of digits, a QR of the kiosk address', () => {
    const { bytes } = encodeDocument(testPageDocument(58, 'en', origin, false), { width: 58 });
    inOrder(
      bytes,
      ['title', ascii('PRINTER TEST')],
      ['width', ascii('Paper 58 mm, 32 columns')],
      ['digits', ascii('12345678901234567890123456789012')],
      ['QR', qrStore(origin)],
      ['QR print', QR_PRINT],
      ['cut', CUT_PARTIAL],
    );
    expect(find(bytes, ascii('123456789012345678901234567890123'))).toBe(-1);
  });
});
