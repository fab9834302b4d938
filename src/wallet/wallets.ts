// The wallets the demo phone can be: one entry each (label, colour, which simulator, how to ask it for a
// code), and the three things a wallet does with a customer-presented code: mint it, watch it, answer the
// charge made with it.
import { CENTRAPAY_TEST_SCENARIOS, PAYBY_TEST_PREFIXES, POCKYT_TEST_SUFFIXES, testPatronCode } from '../../sandbox/test-codes';
import { control, deadlineOf, post, type Charge, type CodeView, type IssuedCode } from './control';
import { SIMULATORS, type Simulator, type SimulatorId } from './simulators';
import { m } from '../paraglide/messages.js';

export type WalletId = 'alipay' | 'wechatpay' | 'centrapay' | 'payby';

export interface TestCode {
  code: string;
  label: string;
}

export interface Wallet {
  id: WalletId;
  label: string;
  colour: string;
  sim: Simulator;
  /** What the provider calls the code, for the page's wording. */
  /** What the wallet calls its code, in the page's language. */
  codeName: () => string;
  /** Body of `POST /codes` (Pockyt wants the vendor; the others take `{}`). */
  issueBody: Record<string, unknown>;
  /** Sandbox "test cards": codes the simulator answers by script (its README, "Test codes"). */
  testCodes: readonly TestCode[];
}

const sim = (id: SimulatorId): Simulator => SIMULATORS.find((s) => s.id === id)!;

const pockytTests = (prefix: string): TestCode[] =>
  Object.entries(POCKYT_TEST_SUFFIXES).map(([suffix, { label }]) => ({ code: prefix + suffix, label }));

export const WALLETS: readonly Wallet[] = [
  {
    id: 'alipay',
    label: 'Alipay',
    colour: '#1677ff',
    sim: sim('pockyt'),
    codeName: m.wallet_payment_code,
    issueBody: { vendor: 'alipay' },
    testCodes: pockytTests('28652118244665'),
  },
  {
    id: 'wechatpay',
    label: 'WeChat Pay',
    colour: '#07a35a',
    sim: sim('pockyt'),
    codeName: m.wallet_payment_code,
    issueBody: { vendor: 'wechatpay' },
    testCodes: pockytTests('13456789012345'),
  },
  {
    // Patron codes: 16 digits, a listed prefix (the simulator issues 999000…), Luhn check digit.
    id: 'centrapay',
    label: 'Centrapay',
    colour: '#5b3cc4',
    sim: sim('centrapay'),
    codeName: m.wallet_patron_code,
    issueBody: {},
    testCodes: Object.entries(CENTRAPAY_TEST_SCENARIOS).map(([suffix, { label }]) => ({ code: testPatronCode(suffix), label })),
  },
  {
    id: 'payby',
    label: 'PayBy',
    colour: '#c8102e',
    sim: sim('payby'),
    codeName: m.wallet_auth_code,
    issueBody: {},
    testCodes: PAYBY_TEST_PREFIXES.map(({ prefix, label }) => ({ code: prefix + '1'.padStart(12 - prefix.length, '0'), label })),
  },
];

export function walletById(id: string): Wallet | undefined {
  return WALLETS.find((w) => w.id === id);
}

interface RawCode {
  code: string;
  expiresAt: string;
  state?: CodeView['state'];
  transaction?: unknown;
  request?: unknown;
}

function codeView(w: Wallet, raw: RawCode): CodeView {
  const charge = raw[w.sim.codeChargeKey];
  return {
    code: raw.code,
    expiresAt: raw.expiresAt,
    state: raw.state ?? 'issued',
    charge: charge ? w.sim.toCharge(charge) : undefined,
  };
}

/** A fresh one-time code. A 404 means this server does not run that simulator. */
export async function issueCode(w: Wallet): Promise<IssuedCode> {
  try {
    const { body, res } = await post<RawCode>(`${w.sim.control}/codes`, w.issueBody);
    return { ...codeView(w, body), state: 'issued', deadline: deadlineOf(body.expiresAt, res) };
  } catch (e) {
    if ((e as { status?: number }).status === 404) {
      throw new Error(m.wallet_no_simulator({ simulator: w.sim.label, path: w.sim.control }), { cause: e });
    }
    throw e;
  }
}

export async function readCode(w: Wallet, code: string): Promise<CodeView> {
  return codeView(w, (await control<RawCode>(`${w.sim.control}/codes/${encodeURIComponent(code)}`)).body);
}

/** The customer's answer to a pending charge made with their code. */
export async function decide(w: Wallet, chargeId: string, action: 'approve' | 'decline'): Promise<Charge> {
  const { body } = await post<unknown>(`${w.sim.control}${w.sim.chargePath}/${encodeURIComponent(chargeId)}/${action}`);
  return w.sim.toCharge(body);
}
