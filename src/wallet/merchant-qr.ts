// Merchant-presented QR: which demo simulator a scanned or pasted payload belongs to, what it asks for,
// and paying or refusing it. Anything that is not one of ours is refused before any request is made.
import { ControlError, control, post, type Charge } from './control';
import { SIMULATORS, type Simulator } from './simulators';
import { m } from '../paraglide/messages.js';

export const notOurs = () => m.wallet_not_ours();

export interface MerchantQr {
  sim: Simulator;
  /** The reference in the payload (transactionNo, payment request id, token). */
  ref: string;
}

/** Recognises `<origin>/sim/<provider>/…/<ref>` payloads (any origin: the kiosk may know the server by another name). */
export function parseMerchantQr(text: string): MerchantQr | null {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  for (const sim of SIMULATORS) {
    const m = sim.mpmPath.exec(url.pathname);
    if (m) return { sim, ref: m[1] };
  }
  return null;
}

/** What the QR asks the customer to pay. */
export async function loadMerchantQr(qr: MerchantQr): Promise<Charge> {
  try {
    return qr.sim.toCharge((await control<unknown>(qr.sim.control + qr.sim.mpmLookup(qr.ref))).body);
  } catch (e) {
    // Shaped like ours but unknown here: a QR from another server, or one this simulator has forgotten.
    if (e instanceof ControlError && e.status === 404) {
      throw new Error(m.wallet_not_ours_unknown({ reason: notOurs(), simulator: qr.sim.label }), { cause: e });
    }
    if (e instanceof ControlError && e.status === 410) throw new Error(m.wallet_mpm_expired_ask(), { cause: e });
    throw e;
  }
}

export async function payMerchantQr(qr: MerchantQr, charge: Charge): Promise<Charge> {
  const { body } = await post<unknown>(`${qr.sim.control}${qr.sim.chargePath}/${encodeURIComponent(charge.id)}/pay`);
  return qr.sim.toCharge(body);
}

/**
 * The customer refuses. Where the simulator records refusals (PayBy) it is told; elsewhere a wallet that
 * declines simply never pays, and the store's QR stays open until the cashier cancels it or it expires.
 */
export async function declineMerchantQr(qr: MerchantQr, charge: Charge): Promise<Charge> {
  if (!qr.sim.mpmDecline) return { ...charge, phase: 'declined' };
  const { body } = await post<unknown>(`${qr.sim.control}${qr.sim.chargePath}/${encodeURIComponent(charge.id)}/decline`);
  // A PayBy DYNQR order stays CREATED after a decline (the payer may try again): from this phone it is declined.
  const after = qr.sim.toCharge(body);
  return after.phase === 'confirm' ? { ...after, phase: 'declined' } : after;
}
