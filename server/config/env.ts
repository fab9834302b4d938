// Readers for environment variables: each returns a clean value or throws a ConfigError that names the
// variable (and never echoes a secret). Shared by server/config.ts and the provider sections.

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export type Env = NodeJS.ProcessEnv;

export function str(env: Env, name: string): string | undefined {
  const v = env[name];
  if (v === undefined) return undefined;
  const t = v.trim();
  return t === '' ? undefined : t;
}

export function int(env: Env, name: string, def: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const raw = str(env, name);
  if (raw === undefined) return def;
  if (!/^\d+$/.test(raw)) throw new ConfigError(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ConfigError(`${name} must be between ${min} and ${max}, got ${raw}`);
  }
  return n;
}

export function optionalInt(env: Env, name: string, min: number, max: number): number | undefined {
  return str(env, name) === undefined ? undefined : int(env, name, 0, min, max);
}

export function bool(env: Env, name: string): boolean | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  const l = raw.toLowerCase();
  if (['1', 'true', 'yes', 'on'].includes(l)) return true;
  if (['0', 'false', 'no', 'off'].includes(l)) return false;
  throw new ConfigError(`${name} must be 1/true or 0/false, got ${JSON.stringify(raw)}`);
}

/** "0,15000,60000" → [0, 15000, 60000]; "none" → [] (no attempts); unset → undefined (the default). */
export function msList(env: Env, name: string): number[] | undefined {
  const raw = str(env, name);
  if (raw === undefined) return undefined;
  if (raw.toLowerCase() === 'none') return [];
  const parts = raw.split(',').map((x) => x.trim());
  if (parts.length > 20 || parts.some((x) => !/^\d{1,8}$/.test(x))) {
    throw new ConfigError(
      `${name} must be a comma-separated list of up to 20 delays in ms (e.g. 0,15000,60000) or "none", got ${JSON.stringify(raw)}`,
    );
  }
  return parts.map(Number);
}

export function httpUrl(name: string, raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be an absolute http(s) URL, got ${JSON.stringify(raw)}`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConfigError(`${name} must use http or https, got ${JSON.stringify(raw)}`);
  }
  return raw.replace(/\/+$/, '');
}

export function optionalUrl(env: Env, name: string): string | undefined {
  const raw = str(env, name);
  return raw === undefined ? undefined : httpUrl(name, raw);
}

/** How this process reaches itself (the demo adapters calling our own simulators) given the bind address. */
export function selfHost(host: string): string {
  if (['0.0.0.0', '::', '127.0.0.1', 'localhost', ''].includes(host)) return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** All of a provider's required variables or none: a half-configured provider stops the boot and the
 *  message lists exactly what is missing (names only, never values). */
export function requireAll(provider: string, values: Record<string, string | undefined>): boolean {
  const set = Object.entries(values).filter(([, v]) => v !== undefined);
  if (set.length === 0) return false;
  const missing = Object.entries(values)
    .filter(([, v]) => v === undefined)
    .map(([k]) => k);
  if (missing.length) throw new ConfigError(`${provider} is partly configured: set ${missing.join(', ')} (or DEMO=1 for the simulator)`);
  return true;
}
