// The terminal token is the tablet's only credential. It lives in localStorage (kept across reloads) and is
// only ever sent in an Authorization header, never in a URL.
const TOKEN_KEY = 'kiosk.token';
const TERMINAL_KEY = 'kiosk.terminalId';

function storage(): Storage | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function getToken(): string | null {
  return storage()?.getItem(TOKEN_KEY) ?? null;
}

export function getTerminalId(): string | null {
  return storage()?.getItem(TERMINAL_KEY) ?? null;
}

export function saveCredentials(terminalId: string, token: string): void {
  const s = storage();
  s?.setItem(TOKEN_KEY, token);
  s?.setItem(TERMINAL_KEY, terminalId);
}

export function clearCredentials(): void {
  const s = storage();
  s?.removeItem(TOKEN_KEY);
  s?.removeItem(TERMINAL_KEY);
}
