// The proxy's abuse limits (server/config/limits.ts) are sized for real kiosks: one sale at a time per
// tablet, polling every 1.5 s, and people pairing one tablet at a time. A bench that pairs dozens of
// terminals at once, or pushes many concurrent sales and staff actions through a few terminals, is a load
// generator, not a kiosk: these settings keep its numbers about the proxy's work rather than its 429s.
export const PAIR_MANY_AT_ONCE = { RATE_LIMIT_PAIR_PER_IP: '100000', RATE_LIMIT_PAIR_GLOBAL: '100000' };

export const LOAD_GENERATOR_LIMITS = {
  ...PAIR_MANY_AT_ONCE,
  RATE_LIMIT_API_PER_TERMINAL: '1000000',
  RATE_LIMIT_PIN_PER_TERMINAL: '1000000',
};
