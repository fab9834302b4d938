// Self-checkout mode and the customer's "Call staff" (issue 12) as TypeBox schemas, beside api-schemas.ts and
// with its conventions: the proxy validates with them, the kiosk's types are Static<> of them
// (self-checkout-api.ts, type-only). Pure: no I/O, no server imports.
import { Type } from 'typebox';

const strict = { additionalProperties: false } as const;
const refusedAs = (code: string, message: string) => ({ 'x-error': { code, message } });

/** The terminal's mode as GET /api/terminal carries it; idleMs is SELF_CHECKOUT_IDLE_MS. */
export const SelfCheckoutInfo = Type.Object({ on: Type.Boolean(), idleMs: Type.Integer({ minimum: 1 }) });

/** PUT /api/terminal/self-checkout — a supervisor's PIN in X-Staff-Pin (or a signed-in supervisor). */
export const SelfCheckoutRequest = Type.Object(
  { on: Type.Boolean(refusedAs('invalid_request', 'on must be true or false.')) },
  { ...strict, ...refusedAs('invalid_request', 'The body is {"on": true|false}.') },
);

export const StaffCallView = Type.Object({
  id: Type.String(),
  terminalId: Type.String(),
  terminalName: Type.String(),
  createdAt: Type.String(),
  // A type list, not anyOf (see Nullable in api-schemas.ts, which imports this file): no validator built on first use.
  answeredAt: Type.Unsafe<string | null>({ type: ['string', 'null'] }),
});

export const StaffCallParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 64, ...refusedAs('invalid_id', 'Not a staff call id.') }) },
  strict,
);

/** The `staff.call` frame of GET /api/events, sent to every terminal of the store. */
export const StaffCallFrame = Type.Object({ kind: Type.Enum(['called', 'answered']), call: StaffCallView });
