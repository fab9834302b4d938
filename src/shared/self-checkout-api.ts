// Types of the self-checkout API (self-checkout-schemas.ts). Type-only: importing these never puts TypeBox in
// the kiosk's bundle.
import type { Static } from 'typebox';
import type * as S from './self-checkout-schemas';

export type SelfCheckoutInfo = Static<typeof S.SelfCheckoutInfo>;
export type StaffCallView = Static<typeof S.StaffCallView>;
export type StaffCallFrame = Static<typeof S.StaffCallFrame>;
