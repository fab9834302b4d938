// Reactive wrapper: the machine mutates a $state object, so the Mpm screen and the customer display follow
// every phase change.
import type { MpmOption } from '../../shared/api';
import type { Money } from '../../shared/money';
import { initialMpmState, MpmFlowMachine } from './mpm-machine';
import type { MpmDeps } from './mpm-types';

export { MpmFlowMachine } from './mpm-machine';
export type { MpmPhase, MpmState } from './mpm-types';

export function createMpmFlow(orderId: string, amount: Money, option: MpmOption, deps: MpmDeps): MpmFlowMachine {
  const state = $state(initialMpmState(orderId, amount, option));
  return new MpmFlowMachine(state, deps);
}
