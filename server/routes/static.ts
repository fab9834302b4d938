// Serves the built PWA (dist/) from the proxy's own origin: no CORS, one port, and the decoder .wasm comes
// from here rather than a CDN. Unknown GETs that want HTML get index.html (client-side routes).
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';
import fastifyStatic from '@fastify/static';

const NOT_SPA = /^\/(api|sim|webhooks|healthz)(\/|$|\?)/;

export function distAvailable(distDir: string): boolean {
  return existsSync(resolve(distDir, 'index.html'));
}

export function isSpaRequest(url: string, accept: string | undefined, method: string): boolean {
  return (method === 'GET' || method === 'HEAD') && !NOT_SPA.test(url) && (accept ?? '').includes('text/html');
}

export function sendIndex(reply: FastifyReply): unknown {
  reply.header('cache-control', 'no-cache');
  return reply.sendFile('index.html');
}

export async function registerStatic(app: FastifyInstance, distDir: string, demo: boolean): Promise<void> {
  const root = resolve(distDir);
  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    cacheControl: false,
    // The build writes .br and .gz copies of every compressible file (vite.config.ts); the plugin picks the one
    // Accept-Encoding asks for and falls back to the original when there is none.
    preCompressed: true,
    // The wallet page plays the customer's phone against the simulators: it exists only in demo mode.
    allowedPath: (pathName) => demo || !/^\/wallet(\.html)?$/.test(pathName),
    // @fastify/static 9 hands setHeaders the raw ServerResponse, not Fastify's reply.
    setHeaders: (res, path) => {
      // Vite fingerprints everything under assets/; the shell, service worker and manifest must revalidate
      // so a new version is picked up (and never mid-payment: the PWA decides when to switch).
      res.setHeader('cache-control', path.includes(`${root}/assets/`) ? 'public, max-age=31536000, immutable' : 'no-cache');
      // The plugin does not say the body depends on Accept-Encoding; without it a shared cache could hand a
      // brotli body to a client that cannot read it.
      res.setHeader('vary', 'accept-encoding');
    },
  });
  if (demo && existsSync(resolve(root, 'wallet.html'))) {
    app.get('/wallet', (_request, reply) => {
      reply.header('cache-control', 'no-cache');
      return reply.sendFile('wallet.html');
    });
  }
}
