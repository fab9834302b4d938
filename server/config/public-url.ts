// Where tablets and phones reach this proxy when PUBLIC_URL is not set: pairing links, the demo's merchant-QR
// links and notification URLs are built from it. A hard-coded localhost would put a link in front of a
// tablet that points at the tablet itself; the bind address says what the network can actually reach.
import { networkInterfaces, hostname } from 'node:os';

type Interfaces = ReturnType<typeof networkInterfaces>;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '']);
const WILDCARD = new Set(['0.0.0.0', '::']);

/** The first address another device on the LAN can use (IPv4 first: phones scan these links). */
function lanAddress(interfaces: Interfaces): string | undefined {
  const all = Object.values(interfaces).flatMap((list) => list ?? []);
  const external = all.filter((a) => !a.internal);
  return (external.find((a) => a.family === 'IPv4') ?? external.find((a) => a.family === 'IPv6' && !a.address.startsWith('fe80')))?.address;
}

/**
 * PUBLIC_URL's default for a proxy bound to `host`:`port`. Bound to loopback only this machine can connect,
 * and `localhost` is the one plain-http origin browsers let use the camera. Bound to every interface, the
 * machine's LAN address; bound to one address, that address.
 */
export function defaultPublicUrl(host: string, port: number, https: boolean, interfaces: Interfaces = networkInterfaces()): string {
  const scheme = https ? 'https' : 'http';
  let name: string;
  if (LOOPBACK.has(host)) name = 'localhost';
  else if (WILDCARD.has(host)) name = lanAddress(interfaces) ?? hostname();
  else name = host;
  if (name.includes(':')) name = `[${name}]`;
  const defaultPort = https ? 443 : 80;
  return `${scheme}://${name}${port === defaultPort ? '' : `:${port}`}`;
}
