// Reactive wrapper: the machine mutates a $state object, so screens re-render on every phase change.
import type { Money } from '../../shared/money';
import { initialFlowState, PaymentFlowMachine, type FlowDeps } from './attempt-machine';

export type { FlowPhase, FlowState, FlowError, SubmitResult } from './attempt-machine';
export { PaymentFlowMachine } from './attempt-machine';

export function createPaymentFlow(orderId: string, amount: Money, deps: FlowDeps): PaymentFlowMachine {
  const state = $state(initialFlowState(orderId, amount));
  return new PaymentFlowMachine(state, deps);
}
