// Every vector from providers/pockyt.md §4: 4 worked ones + 5 published ones. (The docs' /add example is
// documented there as irreproducible and deliberately left out.)
import { describe, expect, it } from 'vitest';
import { signFields, signString, verifyPockytSign, verifySign } from '../../server/providers/pockyt/signing.ts';

const SANDBOX_TOKEN = '359c05eb811c7c8576f4a8a277dc6f6b';
const JAVA_SDK_TOKEN = '5cbfb079f15b150122261c8537086d77a';

const vectors: Array<{ name: string; token: string; params: Record<string, string>; hashed?: string; sign: string }> = [
  {
    name: 'worked: prepay',
    token: SANDBOX_TOKEN,
    params: {
      merchantNo: '200043',
      storeNo: '303660',
      transactionNo: '316129873376769782',
      paymentBarcode: '286521182446652715',
      vendor: 'alipay',
    },
    hashed:
      'merchantNo=200043&paymentBarcode=286521182446652715&storeNo=303660&transactionNo=316129873376769782&vendor=alipay&4854caeee6eef49c322873019fa9ff04',
    sign: '6b3ac08e8d4b025a32b0720eb5d1d5d4',
  },
  {
    name: 'worked: add',
    token: SANDBOX_TOKEN,
    params: {
      merchantNo: '200043',
      storeNo: '303660',
      amount: '13.00',
      currency: 'USD',
      settleCurrency: 'USD',
      reference: 'POS-20240101-0001',
      timeout: '120',
    },
    hashed:
      'amount=13.00&currency=USD&merchantNo=200043&reference=POS-20240101-0001&settleCurrency=USD&storeNo=303660&timeout=120&4854caeee6eef49c322873019fa9ff04',
    sign: '2d757b164d02ba152e62485417dfd27e',
  },
  {
    name: 'worked: tran-query',
    token: SANDBOX_TOKEN,
    params: { merchantNo: '200043', storeNo: '303660', transactionNo: '316129873376769782' },
    hashed: 'merchantNo=200043&storeNo=303660&transactionNo=316129873376769782&4854caeee6eef49c322873019fa9ff04',
    sign: '7de47c46fa55ff71d09a1a78e3854265',
  },
  {
    name: 'worked: sort order (upper-case before lower-case)',
    token: SANDBOX_TOKEN,
    params: { merchantNo: '200043', merGroupNo: '100001', storeNo: '303660', reference: 'R1' },
    hashed: 'merGroupNo=100001&merchantNo=200043&reference=R1&storeNo=303660&4854caeee6eef49c322873019fa9ff04',
    sign: 'b841973e27b5d69b5d198662a76e5ebc',
  },
  {
    name: 'published: Java SDK VerifySignTest (IPN)',
    token: JAVA_SDK_TOKEN,
    params: {
      amount: '0.01',
      currency: 'USD',
      reference: 'test1666247277861',
      settleCurrency: 'USD',
      status: 'success',
      time: '20221020142817',
      transactionNo: '305680500880311923',
    },
    sign: '435d01c5d5fa88cfe8168fbfbf732519',
  },
  {
    name: 'published: signing guide (11 params incl. goodsInfo JSON)',
    token: JAVA_SDK_TOKEN,
    params: {
      amount: '1.00',
      storeNo: '300014',
      currency: 'USD',
      merchantNo: '200043',
      callbackUrl: 'https://wx.yuansfer.yunkeguan.com/wx',
      terminal: 'ONLINE',
      ipnUrl: 'https://wx.yuansfer.yunkeguan.com/wx',
      reference: 'seq_1525922323',
      vendor: 'alipay',
      goodsInfo: '[{"goods_name":"Yuansfer","quantity":"1"}]',
      timeout: '120',
    },
    hashed:
      'amount=1.00&callbackUrl=https://wx.yuansfer.yunkeguan.com/wx&currency=USD&goodsInfo=[{"goods_name":"Yuansfer","quantity":"1"}]&ipnUrl=https://wx.yuansfer.yunkeguan.com/wx&merchantNo=200043&reference=seq_1525922323&storeNo=300014&terminal=ONLINE&timeout=120&vendor=alipay&186abea4b8610d7ff03768255588597a',
    sign: 'b6bfd66531ae7c9499115c7480a2c8aa',
  },
  {
    name: 'published: docs tran-query curl',
    token: JAVA_SDK_TOKEN,
    params: { merchantNo: '200043', storeNo: '300014', transactionNo: '297553638300708562' },
    sign: '0df745088d7202a6d186596acdc82c6a',
  },
  {
    name: 'published: docs.pockyt.io in-store pay example',
    token: JAVA_SDK_TOKEN,
    params: {
      merchantNo: '200043',
      storeNo: '300014',
      transactionNo: '297553636764407286',
      paymentBarcode: '286498530672949108',
      vendor: 'alipay',
    },
    sign: 'f38965887c5676e2fb19d951251eb613',
  },
  {
    name: 'published: docs refund curl',
    token: JAVA_SDK_TOKEN,
    params: {
      refundAmount: '0.01',
      currency: 'USD',
      settleCurrency: 'USD',
      transactionNo: '297553638301777927',
      refundReference: 'refund2020101305',
      merchantNo: '200043',
      storeNo: '300014',
    },
    sign: 'dd81f7781603bec48ae2c6a9ac758bf2',
  },
];

describe('Pockyt verifySign vectors', () => {
  for (const v of vectors) {
    it(v.name, () => {
      if (v.hashed) expect(signString(v.params, v.token)).toBe(v.hashed);
      expect(verifySign(v.params, v.token)).toBe(v.sign);
      expect(signFields(v.params, v.token).verifySign).toBe(v.sign);
      expect(verifyPockytSign({ ...v.params, verifySign: v.sign }, v.token)).toBe(true);
      expect(verifyPockytSign({ ...v.params, verifySign: v.sign.toUpperCase() }, v.token)).toBe(true);
    });
  }
});

describe('Pockyt signing rules', () => {
  const base = vectors[0];

  it('ignores an existing verifySign and absent/empty values', () => {
    const withJunk = { ...base.params, verifySign: 'deadbeef', storeAdminNo: '', merGroupNo: undefined, note: null };
    expect(verifySign(withJunk, base.token)).toBe(base.sign);
    const sent = signFields(withJunk, base.token);
    expect(Object.keys(sent).sort()).toEqual([...Object.keys(base.params), 'verifySign'].sort());
  });

  it('does not URL-encode or trim values', () => {
    const a = verifySign({ merchantNo: '1', note: 'a b&c' }, base.token);
    expect(signString({ merchantNo: '1', note: 'a b&c' }, base.token)).toContain('note=a b&c&');
    expect(a).not.toBe(verifySign({ merchantNo: '1', note: 'a%20b%26c' }, base.token));
    expect(a).not.toBe(verifySign({ merchantNo: '1', note: 'a b&c ' }, base.token));
  });

  it('rejects tampering, a wrong token and a missing signature', () => {
    const fields = { ...base.params, verifySign: base.sign };
    expect(verifyPockytSign({ ...fields, paymentBarcode: '286521182446652716' }, base.token)).toBe(false);
    expect(verifyPockytSign({ ...fields, extra: 'x' }, base.token)).toBe(false);
    expect(verifyPockytSign(fields, JAVA_SDK_TOKEN)).toBe(false);
    expect(verifyPockytSign(base.params, base.token)).toBe(false);
    expect(verifyPockytSign({ ...base.params, verifySign: '' }, base.token)).toBe(false);
    expect(verifyPockytSign({ ...base.params, verifySign: base.sign.slice(0, 31) }, base.token)).toBe(false);
  });

  it('accepts either empty-value form for received fields (§10 fallback)', () => {
    const ipn = { ...vectors[4].params, note: '', vendorId: '' };
    const skip = verifySign(ipn, JAVA_SDK_TOKEN);
    const include = verifySign(ipn, JAVA_SDK_TOKEN, { includeEmpty: true });
    expect(skip).toBe(vectors[4].sign);
    expect(include).not.toBe(skip);
    expect(signString(ipn, JAVA_SDK_TOKEN, { includeEmpty: true })).toContain('&note=&');
    expect(verifyPockytSign({ ...ipn, verifySign: skip }, JAVA_SDK_TOKEN)).toBe(true);
    expect(verifyPockytSign({ ...ipn, verifySign: include }, JAVA_SDK_TOKEN)).toBe(true);
    // Without any empty field, the include-empty form is not a loophole.
    expect(verifyPockytSign({ ...vectors[4].params, verifySign: include }, JAVA_SDK_TOKEN)).toBe(false);
  });
});
