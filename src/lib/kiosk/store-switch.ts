// Demo mode: move this terminal to another demo store (PUT /api/terminal/store). The proxy refuses while a
// payment of this terminal is open (409), and outside demo mode (403); both come back as ApiError with the
// proxy's own sentence for the cashier.
import type { SwitchStoreRequest, TerminalInfo } from '../../shared/api';
import { ApiError, NetworkError, toApiError } from '../api/errors';
import { getToken } from '../api/token';

export async function putTerminalStore(storeId: string, doFetch: typeof fetch = (i, init) => globalThis.fetch(i, init)): Promise<TerminalInfo> {
  const token = getToken();
  if (!token) throw new ApiError('not_paired', 'This tablet is not paired with the proxy yet.', 401);
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), 15_000);
  let res: Response;
  let text: string;
  try {
    res = await doFetch('/api/terminal/store', {
      method: 'PUT',
      headers: { Accept: 'application/json', 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
      body: JSON.stringify({ storeId } satisfies SwitchStoreRequest),
      signal: ctrl.signal,
      cache: 'no-store',
    });
    text = await res.text();
  } catch (err) {
    throw new NetworkError(ctrl.signal.aborted ? 'The payment server did not answer in time.' : 'Network error', err);
  } finally {
    clearTimeout(timer);
  }
  if (!res.ok) throw toApiError(res.status, res.statusText, text);
  try {
    return JSON.parse(text) as TerminalInfo;
  } catch {
    throw new ApiError('bad_response', `Unexpected response from the server (HTTP ${res.status})`, res.status);
  }
}
