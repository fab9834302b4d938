// The request schemas and what the proxy makes of a refusal (server/routes/validator.ts), the JSON depth
// check in front of the parser, and the request hash behind idempotency.
import { describe, expect, it } from 'vitest';
import { Type, type TSchema } from 'typebox';
import * as Api from '../../src/shared/api-schemas';
import * as History from '../../src/shared/history-schemas';
import { ApiError } from '../../server/payments/api-error.ts';
import { requestHash } from '../../server/payments/reference.ts';
import { MAX_JSON_DEPTH, nestedDeeperThan } from '../../server/routes/json-body.ts';
import { fieldLabel, schemaValidator } from '../../server/routes/validator.ts';

const REQUEST_SCHEMAS: Record<string, TSchema> = {
  PairRequest: Api.PairRequest,
  SwitchStoreRequest: Api.SwitchStoreRequest,
  CreatePaymentRequest: Api.CreatePaymentRequest,
  NoBody: Api.NoBody,
  PinOnlyBody: Api.PinOnlyBody,
  CreateRefundRequest: Api.CreateRefundRequest,
  OrderUpsertRequest: Api.OrderUpsertRequest,
  IdempotencyHeaders: Api.IdempotencyHeaders,
  StaffPinHeaders: Api.StaffPinHeaders,
  RefundHeaders: Api.RefundHeaders,
  EventStreamHeaders: Api.EventStreamHeaders,
  PaymentParams: Api.PaymentParams,
  ListPaymentsQuery: History.ListPaymentsQuery,
  ListOrdersQuery: Api.ListOrdersQuery,
};
const RESPONSE_SCHEMAS: Record<string, TSchema> = {
  PairResponse: Api.PairResponse,
  TerminalInfo: Api.TerminalInfo,
  PaymentView: Api.PaymentView,
  PaymentList: History.PaymentList,
  PaymentDetail: History.PaymentDetail,
  RefundResponse: Api.RefundResponse,
  RefundList: Api.RefundList,
  AttentionList: Api.AttentionList,
  OrderView: Api.OrderView,
  OrderList: Api.OrderList,
};
const BODIES = [
  'PairRequest',
  'SwitchStoreRequest',
  'CreatePaymentRequest',
  'NoBody',
  'PinOnlyBody',
  'CreateRefundRequest',
  'OrderUpsertRequest',
];

/** Every schema node under `schema`, with its JSON path. */
function* nodes(schema: unknown, path = '#'): Generator<[string, Record<string, unknown>]> {
  if (Array.isArray(schema)) {
    for (const [i, s] of schema.entries()) yield* nodes(s, `${path}/${i}`);
    return;
  }
  if (typeof schema !== 'object' || schema === null) return;
  const node = schema as Record<string, unknown>;
  if ('type' in node || 'anyOf' in node || 'enum' in node) yield [path, node];
  for (const key of ['properties', 'items', 'anyOf']) {
    const child = node[key];
    if (key === 'properties' && child && typeof child === 'object') {
      for (const [name, s] of Object.entries(child)) yield* nodes(s, `${path}/properties/${name}`);
    } else if (child !== undefined && key !== 'properties') {
      yield* nodes(child, `${path}/${key}`);
    }
  }
}

describe('request schemas', () => {
  it('are walked down to their leaves (so the checks below see every field)', () => {
    const paths = [...nodes(Api.OrderUpsertRequest)].map(([p]) => p);
    expect(paths).toContain('#/properties/lines/items/properties/sku');
    expect(paths).toContain('#/properties/lines/items/properties/unitPrice/properties/currency');
  });

  it.each(Object.entries(REQUEST_SCHEMAS))('%s bounds every string it accepts', (_name, schema) => {
    const isString = (n: Record<string, unknown>) => n.type === 'string' || (Array.isArray(n.type) && n.type.includes('string'));
    const unbounded = [...nodes(schema)].filter(
      ([, n]) => isString(n) && !('enum' in n) && !('const' in n) && typeof n.maxLength !== 'number',
    );
    expect(unbounded.map(([p]) => p)).toEqual([]);
  });

  it.each(BODIES)('%s refuses unknown fields at every level', (name) => {
    const open = [...nodes(REQUEST_SCHEMAS[name])].filter(([, n]) => n.type === 'object' && n.additionalProperties !== false);
    expect(open.map(([p]) => p)).toEqual([]);
  });

  it.each(Object.entries(RESPONSE_SCHEMAS))(
    '%s (a response) has no anyOf/oneOf, which would make its serializer build a validator on first use',
    (_name, schema) => {
      expect(JSON.stringify(schema)).not.toMatch(/"(anyOf|oneOf|allOf)"/);
    },
  );

  it('Money is integer minor units with a 3-letter code, nothing else', () => {
    const check = (v: unknown) => schemaValidator({ schema: Api.Money, httpPart: 'body', method: 'POST', url: '/' })(v);
    expect(check({ value: 1250, currency: 'USD' })).toBe(true);
    expect(check({ value: 12.5, currency: 'USD' })).toMatchObject({ error: { code: 'invalid_amount' } });
    expect(check({ value: '1250', currency: 'USD' })).toMatchObject({ error: { code: 'invalid_amount' } });
    expect(check({ value: 1250, currency: 'usd' })).toMatchObject({ error: { code: 'invalid_currency' } });
    expect(check({ value: 1250, currency: 'USD', rate: 1 })).toMatchObject({ error: { code: 'invalid_amount' } });
  });
});

describe('schema refusals', () => {
  const compile = (schema: TSchema, httpPart: string) => schemaValidator({ schema, httpPart, method: 'POST', url: '/x' });
  const refuse = (schema: TSchema, httpPart: string, value: unknown): ApiError => {
    const r = compile(schema, httpPart)(value) as { error?: unknown };
    expect(r.error).toBeInstanceOf(ApiError);
    return r.error as ApiError;
  };

  it('takes the code and message of the nearest annotated schema above the failing value', () => {
    const order = {
      id: 'order-0001',
      lines: [{ name: 'Tea', quantity: 1, unitPrice: { value: 300, currency: 'usd' } }],
      total: { value: 300, currency: 'USD' },
      createdAt: '2025-03-01T10:00:00.000Z',
      status: 'queued',
    };
    const err = refuse(Api.OrderUpsertRequest, 'body', order);
    expect(err).toMatchObject({
      status: 400,
      code: 'invalid_currency',
      message: 'lines[0].unitPrice.currency must be an ISO 4217 code such as "USD".',
      details: { field: 'lines[0].unitPrice.currency' },
    });
    expect(refuse(Api.OrderUpsertRequest, 'body', { ...order, lines: [{ ...order.lines[0], name: ' ' }] }).code).toBe('invalid_line');
    expect(refuse(Api.OrderUpsertRequest, 'body', { ...order, lines: [{ ...order.lines[0], sku: 7 }] })).toMatchObject({
      code: 'invalid_line',
      message: 'lines[0].sku must be 1-64 characters or absent.',
    });
  });

  it('says which fields are unknown, and uses the missing-value refusal for an absent field or an empty header', () => {
    expect(refuse(Api.CreateRefundRequest, 'body', { amount: { value: 1, currency: 'USD' }, why: 1, who: 2 })).toMatchObject({
      code: 'invalid_request',
      message: 'Unknown fields: why, who.',
    });
    expect(refuse(Api.IdempotencyHeaders, 'headers', { host: 'x' }).code).toBe('idempotency_key_required');
    expect(refuse(Api.IdempotencyHeaders, 'headers', { 'idempotency-key': '' }).code).toBe('idempotency_key_required');
    expect(refuse(Api.IdempotencyHeaders, 'headers', { 'idempotency-key': 'a b' }).code).toBe('invalid_idempotency_key');
    expect(refuse(Api.CreateRefundRequest, 'body', {})).toMatchObject({
      code: 'invalid_amount',
      message: 'amount must be an object {value, currency}.',
    });
  });

  it('falls back to a code per request part', () => {
    const plain = Type.Object({ n: Type.String({ maxLength: 2 }) });
    expect(refuse(plain, 'body', { n: 'abc' })).toMatchObject({ code: 'invalid_request', details: { field: 'n' } });
    expect(refuse(plain, 'querystring', { n: 'abc' }).code).toBe('invalid_query');
    expect(refuse(plain, 'params', { n: 'abc' }).code).toBe('invalid_params');
    expect(refuse(plain, 'headers', { n: 'abc' }).code).toBe('invalid_headers');
  });

  it('reads numbers in query strings exactly, and never coerces a body', () => {
    const query = compile(History.ListPaymentsQuery, 'querystring');
    expect(query({ limit: '50' })).toEqual({ value: { limit: 50 } });
    expect(query({ orderId: 'o-1' })).toBe(true);
    for (const limit of ['1.5', '5x', '', ' 5', '0x10', '1e2'])
      expect(query({ limit })).toMatchObject({ error: { code: 'invalid_limit' } });
    expect(compile(Api.CreateRefundRequest, 'body')({ amount: { value: '5', currency: 'USD' } })).toMatchObject({
      error: { code: 'invalid_amount' },
    });
  });

  it('labels fields the way the messages name them', () => {
    expect(fieldLabel('')).toBe('');
    expect(fieldLabel('/lines/12/unitPrice/value')).toBe('lines[12].unitPrice.value');
    expect(fieldLabel('/a~1b/c~0d')).toBe('a/b.c~d');
  });
});

describe('JSON depth before parsing', () => {
  const nest = (n: number) => '['.repeat(n) + ']'.repeat(n);

  it('counts objects and arrays, not brackets inside strings', () => {
    expect(nestedDeeperThan(nest(MAX_JSON_DEPTH), MAX_JSON_DEPTH)).toBe(false);
    expect(nestedDeeperThan(nest(MAX_JSON_DEPTH + 1), MAX_JSON_DEPTH)).toBe(true);
    expect(nestedDeeperThan(`{"a":{"b":[1,{"c":2}]},"d":[]}`, 4)).toBe(false);
    expect(nestedDeeperThan(`{"a":{"b":[1,{"c":2}]},"d":[]}`, 3)).toBe(true);
    expect(nestedDeeperThan(JSON.stringify({ s: '[[[[{{{{"\\' + '['.repeat(100) }), 1)).toBe(false);
    expect(nestedDeeperThan('{"a":"\\"[[["}', 1)).toBe(false);
  });

  it('takes a 5,000-level body in one pass', () => {
    expect(nestedDeeperThan(nest(5_000), MAX_JSON_DEPTH)).toBe(true);
    expect(nestedDeeperThan(`{"x":"${'['.repeat(60_000)}"}`, MAX_JSON_DEPTH)).toBe(false);
  });
});

describe('request hash', () => {
  const body = { orderId: 'order-1', amount: { value: 1250, currency: 'USD' }, mode: 'cpm', code: '286500000000000001', vendor: 'alipay' };

  it('is the hash rows were stored with before the schemas, whatever the key order', () => {
    expect(requestHash(body)).toBe('f16ec4b63e175dc180fec420b77c8c16f528936c4ce72214635a70ff6e13c768');
    const { vendor, code, mode, amount, orderId } = body;
    expect(requestHash({ vendor, code, mode, amount: { currency: amount.currency, value: amount.value }, orderId })).toBe(
      requestHash(body),
    );
    expect(requestHash({ ...body, amount: { value: 1251, currency: 'USD' } })).not.toBe(requestHash(body));
  });

  it('refuses to recurse into a deep value instead of overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 5_000; i++) deep = [deep];
    expect(() => requestHash({ deep })).toThrow(/deeper than/);
  });
});
