// A raw Pockyt client for tests and manual poking at the simulator: posts exactly the fields given
// (signed unless told otherwise), as JSON or form, and returns the parsed answer. No adapter logic.
import { signFields, type PockytFields } from '../../server/providers/pockyt/signing.ts';

export interface RawCallOptions {
  token: string;
  form?: boolean;
  /** false: send the fields as they are (forged/unsigned requests). */
  sign?: boolean;
  requestId?: string;
  timeoutMs?: number;
}

export async function rawPockytCall(baseUrl: string, path: string, fields: PockytFields, opts: RawCallOptions) {
  const body = opts.sign === false ? fields : signFields(fields, opts.token);
  const clean = Object.fromEntries(Object.entries(body).filter(([, v]) => v !== undefined && v !== null)) as Record<string, string>;
  const headers: Record<string, string> = {
    'content-type': opts.form ? 'application/x-www-form-urlencoded' : 'application/json',
  };
  if (opts.requestId) headers['pockyt-request-id'] = opts.requestId;
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers,
    body: opts.form ? new URLSearchParams(clean).toString() : JSON.stringify(clean),
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  // Test client: callers assert on any field of the provider's JSON right away (as tests/** may).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let json: { ret_code?: string; ret_msg?: string; result?: Record<string, any> } | undefined;
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    json = undefined;
  }
  return { status: res.status, text, body: json ?? {} };
}
