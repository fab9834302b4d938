// Environment for the Centrapay and PayBy server suites: compressed simulator and window timings.

/** PayBy: customers answer within 300 ms; QRs and the confirmation window last 2 s; SLOW answers after our
 *  placeOrder timeout. */
export const PAYBY_FAST: Record<string, string> = {
  SIM_PAYBY_PENDING_MS: '300',
  SIM_PAYBY_SLOW_MS: '1500',
  PAYBY_PLACE_ORDER_TIMEOUT_MS: '600',
  PAYBY_CONFIRM_WINDOW_MS: '2000',
};

/** Centrapay: patrons respond after 300 ms; one simulated second is 20 ms, so a request (85 simulated
 *  seconds in the default 90 s window) expires 1.7 s after creation. */
export const CENTRAPAY_FAST: Record<string, string> = { SIM_CENTRAPAY_PENDING_MS: '300', SIM_CENTRAPAY_SECOND_MS: '20' };
