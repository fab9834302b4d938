// Sandbox "test cards" (simulator convention, not Pockyt's; README documents them): the table is shared
// with the wallet page (sandbox/test-codes.ts); here, how the simulator picks a scenario for a code.
import { POCKYT_TEST_SUFFIXES, type PockytScenario } from '../test-codes.ts';

export type Scenario = PockytScenario;
export const TEST_SUFFIXES = POCKYT_TEST_SUFFIXES;

/** Wallet-issued codes and every other code wait for approve/decline on the control routes. */
export function scenarioFor(code: string): Scenario {
  return TEST_SUFFIXES[code.slice(-4)]?.scenario ?? 'manual';
}
