// The payment-code masker (server/payments/code-mask.ts): whatever shape a provider payload takes — nested,
// in arrays, as JSON or form text inside a string, echoed in a field nobody declared — no full code survives,
// the masked form (maskCode: first 4, stars, last 4) stands in its place, and everything else is kept.
import { describe, expect, it } from 'vitest';
import { MAX_DEPTH, maskPaymentCodes, maskPaymentCodesInText, TOO_DEEP, type CodeMaskRules } from '../../server/payments/code-mask.ts';
import { maskCode } from '../../server/payments/reference.ts';

const CODE = '9990001234500017';
const MASKED = '9990********0017';
const AUTH = 'OK0000000123456789';
const rules: CodeMaskRules = { fields: ['barcode', 'authCode', 'paymentBarcode'] };

describe('maskPaymentCodes: values', () => {
  it('masks a declared key wherever it is nested, in objects and arrays, and keeps everything else', () => {
    const payload = {
      id: 'pr_1',
      barcode: CODE,
      value: { amount: '1250', currency: 'NZD' },
      items: [{ barcode: CODE, n: 1 }, [{ deeper: { authCode: AUTH } }]],
    };
    expect(maskPaymentCodes(payload, rules)).toEqual({
      id: 'pr_1',
      barcode: MASKED,
      value: { amount: '1250', currency: 'NZD' },
      items: [{ barcode: MASKED, n: 1 }, [{ deeper: { authCode: maskCode(AUTH) } }]],
    });
    // The input is not changed under the caller.
    expect(payload.barcode).toBe(CODE);
  });

  it('matches keys case-insensitively and masks a code given as a number; other non-strings pass through', () => {
    const out = maskPaymentCodes({ AuthCode: AUTH, BARCODE: 123456789012, ok: true, n: 12.5, none: null, list: [1, false] }, rules);
    expect(out).toEqual({ AuthCode: maskCode(AUTH), BARCODE: '1234****9012', ok: true, n: 12.5, none: null, list: [1, false] });
    expect(maskPaymentCodes(42, rules)).toBe(42);
    expect(maskPaymentCodes(null, rules)).toBeNull();
    expect(maskPaymentCodes(undefined, rules)).toBeUndefined();
  });

  it('masks an already masked or short code as maskCode does, and leaves a masked one as it is', () => {
    expect(maskPaymentCodes({ barcode: MASKED }, rules)).toEqual({ barcode: MASKED });
    expect(maskPaymentCodes({ barcode: '1234' }, rules)).toEqual({ barcode: '****' });
  });

  it('masks the same code echoed under a key nobody declared, once it was seen under a declared one', () => {
    const out = maskPaymentCodes({ request: { barcode: CODE }, message: `code ${CODE} was used`, copy: CODE }, rules);
    expect(JSON.stringify(out)).not.toContain(CODE);
    expect(out).toEqual({ request: { barcode: MASKED }, message: `code ${MASKED} was used`, copy: MASKED });
  });

  it("with the payment's code_masked, masks the code wherever it is echoed, even under no declared key", () => {
    const out = maskPaymentCodes(
      { ret_msg: `paymentCode ${CODE} expired`, result: { echo: CODE, other: '9990001234599917' } },
      {
        fields: [],
        maskedCodes: [MASKED],
      },
    );
    // Only the run that masks to code_masked: another code with the same ends but other middle is kept, as
    // is a longer run that merely contains the same characters.
    expect(out).toEqual({ ret_msg: `paymentCode ${MASKED} expired`, result: { echo: MASKED, other: '9990001234599917' } });
    const longer = `1${CODE}`;
    expect(maskPaymentCodes({ x: longer }, { fields: [], maskedCodes: [MASKED] })).toEqual({ x: longer });
    // A mask that hides nothing (8 characters or fewer) is no pattern at all.
    expect(maskPaymentCodes({ x: 'abcdefgh' }, { fields: [], maskedCodes: ['********', null] })).toEqual({ x: 'abcdefgh' });
  });

  it('masks JSON and form text held as a string inside the payload (an error body, a raw answer excerpt)', () => {
    const out = maskPaymentCodes(
      {
        raw: JSON.stringify({ data: { barcode: CODE } }),
        form: `transactionNo=1&paymentBarcode=${CODE}&vendor=alipay`,
        nested: JSON.stringify({ inner: JSON.stringify({ authCode: AUTH }) }),
      },
      rules,
    ) as Record<string, string>;
    expect(JSON.parse(out.raw)).toEqual({ data: { barcode: MASKED } });
    expect(out.form).toBe(`transactionNo=1&paymentBarcode=${MASKED}&vendor=alipay`);
    expect(JSON.parse(JSON.parse(out.nested).inner)).toEqual({ authCode: maskCode(AUTH) });
    expect(JSON.stringify(out)).not.toContain(CODE);
    expect(JSON.stringify(out)).not.toContain(AUTH);
  });

  it('replaces containers nested deeper than the bound, so nothing below it is kept unchecked', () => {
    let deep: unknown = { barcode: CODE };
    for (let i = 0; i < MAX_DEPTH + 5; i++) deep = { next: deep };
    const text = JSON.stringify(maskPaymentCodes(deep, rules));
    expect(text).not.toContain(CODE);
    expect(text).toContain(TOO_DEEP);
    // Within the bound nothing is cut.
    let shallow: unknown = { barcode: CODE };
    for (let i = 0; i < 10; i++) shallow = [shallow];
    expect(JSON.stringify(maskPaymentCodes(shallow, rules))).toBe(`${'['.repeat(10)}{"barcode":"${MASKED}"}${']'.repeat(10)}`);
  });

  it('counts text parsed inside text towards the bound: JSON text held below it is not kept either', () => {
    let inner: unknown = { barcode: CODE };
    for (let i = 0; i < MAX_DEPTH - 4; i++) inner = { next: inner };
    let outer: unknown = { raw: JSON.stringify(inner) };
    for (let i = 0; i < 8; i++) outer = { wrap: outer };
    const text = JSON.stringify(maskPaymentCodes(outer, rules));
    expect(text).not.toContain(CODE);
    expect(text).toContain(TOO_DEEP);
    expect(maskPaymentCodesInText(JSON.stringify(outer), rules)).not.toContain(CODE);
  });

  it('terminates on a cyclic value', () => {
    const cyclic: Record<string, unknown> = { barcode: CODE, note: 'kept' };
    cyclic.self = cyclic;
    const out = maskPaymentCodes(cyclic, rules) as Record<string, unknown>;
    expect(JSON.stringify(out)).not.toContain(CODE);
    expect(out.note).toBe('kept');
  });
});

describe('maskPaymentCodesInText: stored text', () => {
  it('masks a JSON body in place, keeping its bytes (spacing, key order) otherwise', () => {
    const body = `{ "notify_id": "1",\n  "acquireOrder": {"paySceneParams": {"authCode": "${AUTH}"}, "status": "PAID_SUCCESS"} }`;
    expect(maskPaymentCodesInText(body, rules)).toBe(body.replace(AUTH, maskCode(AUTH)));
  });

  it('masks a form-encoded body (an IPN), keeping the other fields byte for byte', () => {
    const body = `transactionNo=297553&status=success&note=a+b%21&paymentBarcode=${CODE}&verifySign=abc`;
    expect(maskPaymentCodesInText(body, rules)).toBe(
      `transactionNo=297553&status=success&note=a+b%21&paymentBarcode=${MASKED}&verifySign=abc`,
    );
    // Repeated fields: each one.
    expect(maskPaymentCodesInText(`paymentBarcode=${CODE}&paymentBarcode=286500000000000001`, rules)).toBe(
      `paymentBarcode=${MASKED}&paymentBarcode=2865**********0001`,
    );
  });

  it('masks JSON text held inside a form field, and form text inside JSON', () => {
    const form = `event=paid&data=${encodeURIComponent(JSON.stringify({ barcode: CODE }))}`;
    const out = maskPaymentCodesInText(form, rules);
    expect(out).not.toContain(CODE);
    expect(JSON.parse(new URLSearchParams(out).get('data')!)).toEqual({ barcode: MASKED });
    const json = JSON.stringify({ raw: `paymentBarcode=${CODE}&x=1` });
    expect(JSON.parse(maskPaymentCodesInText(json, rules))).toEqual({ raw: `paymentBarcode=${MASKED}&x=1` });
  });

  it('masks a code spelled with \\u escapes by writing the masked structure out again', () => {
    const escaped = [...CODE].map((ch) => `\\u00${ch.charCodeAt(0).toString(16)}`).join('');
    const body = `{"barcode":"${escaped}","id":"x"}`;
    const out = maskPaymentCodesInText(body, rules);
    expect(JSON.parse(out)).toEqual({ barcode: MASKED, id: 'x' });
  });

  it('masks a code in a short code field that text replacement would not search for', () => {
    expect(JSON.parse(maskPaymentCodesInText('{"authCode":"12345678","n":1}', rules))).toEqual({ authCode: '********', n: 1 });
  });

  it("masks echoes of the payment's code in text that is neither JSON nor a form (a truncated answer)", () => {
    const truncated = `{"id":"pr_1","barcode":"${CODE}","status":"ne`;
    const out = maskPaymentCodesInText(truncated, { fields: ['barcode'], maskedCodes: [MASKED] });
    expect(out).toBe(`{"id":"pr_1","barcode":"${MASKED}","status":"ne`);
  });

  it('leaves text without codes exactly as it was', () => {
    for (const text of ['', 'plain words', '{"a":[1,2,{"b":"c"}]}', 'a=1&b=2', '[not json', '{"barcode":null}']) {
      expect(maskPaymentCodesInText(text, rules)).toBe(text);
    }
  });
});
