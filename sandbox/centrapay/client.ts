// A raw Centrapay client for tests and manual poking at the simulator: sends exactly what it is given
// (X-Api-Key unless told otherwise) and returns status, headers and the parsed body. No adapter logic.
export interface RawCallOptions {
  /** undefined: no X-Api-Key header at all. */
  apiKey?: string;
  body?: unknown;
  /** Send this text as the body instead of JSON.stringify(body). */
  rawBody?: string;
  timeoutMs?: number;
}

export interface RawCentrapayAnswer {
  status: number;
  headers: Headers;
  text: string;
  // Test client: callers assert on any field of the provider's JSON right away (as tests/** may).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export async function rawCentrapayCall(
  baseUrl: string,
  method: 'GET' | 'POST' | 'PUT' | 'DELETE',
  path: string,
  opts: RawCallOptions = {},
): Promise<RawCentrapayAnswer> {
  const headers: Record<string, string> = {};
  if (opts.apiKey !== undefined) headers['x-api-key'] = opts.apiKey;
  const body = opts.rawBody ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(baseUrl + path, {
    method,
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, headers: res.headers, text, body: json ?? {} };
}
