import { describe, expect, it } from 'vitest';
import { classifyCode } from '../../src/shared/classify.ts';
import { alipayTestCode, wechatTestCode } from '../helpers/codes.ts';

describe('test code helpers', () => {
  it('make Alipay codes the classifier routes to Alipay, with the scenario suffix', () => {
    for (let i = 0; i < 50; i++) {
      const c = alipayTestCode('0002');
      expect(c).toMatch(/^28\d{12}0002$/);
      expect(classifyCode(c)).toEqual({ ok: true, vendor: 'alipay', code: c });
    }
  });

  it('make WeChat Pay codes the classifier routes to WeChat Pay', () => {
    for (let i = 0; i < 50; i++) {
      const c = wechatTestCode('0003');
      expect(c).toMatch(/^13\d{12}0003$/);
      expect(classifyCode(c)).toEqual({ ok: true, vendor: 'wechatpay', code: c });
    }
  });

  it('are random and reject bad suffixes', () => {
    expect(new Set(Array.from({ length: 20 }, () => alipayTestCode())).size).toBe(20);
    expect(() => wechatTestCode('00a1')).toThrow(/digits/);
    expect(() => wechatTestCode('1'.repeat(17))).toThrow(/too long/);
  });
});
