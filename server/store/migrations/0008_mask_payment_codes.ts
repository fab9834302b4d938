import type { Kysely, Migration } from 'kysely';
import { maskStoredPaymentCodes } from '../mask-stored-codes.ts';

// Customer payment codes kept in full by earlier versions, in provider payloads and notification
// bodies, masked the way writes now mask them (issue 9).
export function migration(): Migration {
  return { up: (db: Kysely<unknown>) => maskStoredPaymentCodes(db) };
}
