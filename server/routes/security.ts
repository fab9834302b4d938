// Security headers for every response (DESIGN §10). The CSP allows exactly what the PWA needs: our own
// scripts, WebAssembly compilation for the zxing-wasm decoder ('wasm-unsafe-eval', not 'unsafe-eval'),
// blob: workers, data:/blob: images for QR and barcode rendering, and the camera for this origin only.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "worker-src 'self' blob:",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  // Svelte sets inline style attributes for transitions; no inline scripts are allowed.
  "style-src 'self' 'unsafe-inline'",
  "connect-src 'self'",
  "font-src 'self' data:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function setSecurityHeaders(request: FastifyRequest, reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('x-frame-options', 'DENY');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(self), microphone=(), geolocation=(), payment=()');
  reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
  // API answers carry payment state and must never be cached by the browser or a proxy.
  if (request.url.startsWith('/api/') || request.url.startsWith('/healthz')) reply.header('cache-control', 'no-store');
}

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    setSecurityHeaders(request, reply);
    return payload;
  });
}
