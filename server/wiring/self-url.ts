// Where this process is reachable, once it listens. In demo mode the adapters call the sandbox's simulators
// on our own port and the simulators notify our own webhooks; with PORT=0 (tests) the port is only known
// after listen.
import type { FastifyInstance } from 'fastify';
import { selfHost, type Config } from '../config.ts';

/** http(s)://<self>:<port> of the listening server, or null before listen. */
export function selfOrigin(app: FastifyInstance, host: string, https = false): string | null {
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') return null;
  return `${https ? 'https' : 'http'}://${selfHost(host)}:${addr.port}`;
}

/** PUBLIC_URL as providers should use it. With PORT=0 the default names port 0, which nobody can reach:
 *  once listening, that becomes the address we actually got. */
export function publicUrlOf(app: FastifyInstance, config: Config): string {
  let u: URL;
  try {
    u = new URL(config.publicUrl);
  } catch {
    return config.publicUrl;
  }
  const addr = app.server.address();
  if (u.port !== '0' || !addr || typeof addr === 'string') return config.publicUrl;
  return `${u.protocol}//${selfHost(config.host)}:${addr.port}${u.pathname.replace(/\/+$/, '')}`;
}
