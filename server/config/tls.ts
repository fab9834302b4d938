// HTTPS served by the proxy itself: tablets need a secure origin for the camera (browsers allow getUserMedia
// only on https:// or localhost). Both files or neither; read once at boot so a wrong path stops the start
// with the variable's name rather than failing the first tablet's handshake.
import { readFileSync } from 'node:fs';
import { ConfigError, str, type Env } from './env.ts';

export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

function read(name: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`${name}: cannot read ${JSON.stringify(path)} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
}

export function tlsSettings(env: Env): TlsFiles | null {
  const certFile = str(env, 'TLS_CERT_FILE');
  const keyFile = str(env, 'TLS_KEY_FILE');
  if (certFile === undefined && keyFile === undefined) return null;
  if (certFile === undefined || keyFile === undefined) {
    throw new ConfigError(
      `HTTPS needs both TLS_CERT_FILE and TLS_KEY_FILE; set ${certFile === undefined ? 'TLS_CERT_FILE' : 'TLS_KEY_FILE'} too`,
    );
  }
  const cert = read('TLS_CERT_FILE', certFile);
  const key = read('TLS_KEY_FILE', keyFile);
  if (!cert.includes('-----BEGIN CERTIFICATE-----')) throw new ConfigError('TLS_CERT_FILE must be a PEM certificate (chain)');
  if (!/-----BEGIN (EC |RSA |ENCRYPTED )?PRIVATE KEY-----/.test(key.toString('latin1'))) {
    throw new ConfigError('TLS_KEY_FILE must be a PEM private key');
  }
  return { cert, key };
}
