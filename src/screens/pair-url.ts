// The pairing link is `/?pair=CODE`. The code is one-time, but it must still not linger in the address bar
// or browser history where the next person could read it.
export function pairCodeFromUrl(href: string): string | null {
  const code = new URL(href).searchParams.get('pair');
  return code && code.trim() ? code.trim() : null;
}

export function urlWithoutPairCode(href: string): string {
  const url = new URL(href);
  url.searchParams.delete('pair');
  return url.pathname + url.search + url.hash;
}
