// The PayBy simulator's "platform" key pair for demo mode: made once per process (RSA-2048 generation takes
// a noticeable moment, and tests build many apps). Its public half is what our adapter and webhook trust.
import { generatePayByKeyPair, type PemKeyPair } from './payby/keys.ts';

let pair: PemKeyPair | null = null;

export function demoPayByPlatformKeys(): PemKeyPair {
  pair ??= generatePayByKeyPair();
  return pair;
}
