// JSON request bodies: Fastify's own parser (prototype-poisoning checks included) with two differences.
// An empty body is "no body" — a bodiless POST like cancel should not fail because a client set the content
// type anyway. And a body nested deeper than any request of ours is refused before it is parsed: nothing
// downstream (validation, the request hash, logging) then has to survive a 5,000-level structure.
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../payments/api-error.ts';

/** Deepest nesting a request body may have; ours need 4 (an order's lines[i].unitPrice). */
export const MAX_JSON_DEPTH = 16;

const QUOTE = 0x22,
  BACKSLASH = 0x5c,
  OPEN_OBJECT = 0x7b,
  CLOSE_OBJECT = 0x7d,
  OPEN_ARRAY = 0x5b,
  CLOSE_ARRAY = 0x5d;

/** Whether the JSON text opens more than `limit` objects/arrays inside each other (strings skipped). One pass,
 *  no recursion, no parsing: malformed text is left for the parser to refuse. */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) {
      inString = true;
    } else if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      if (++depth > limit) return true;
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
    }
  }
  return false;
}

export function installJsonBodyParser(app: FastifyInstance): void {
  const json = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    if (nestedDeeperThan(text, MAX_JSON_DEPTH)) {
      return done(new ApiError(400, 'body_too_deep', `The JSON body is nested more than ${MAX_JSON_DEPTH} levels deep.`), undefined);
    }
    // Fastify's default parser answers through the callback; it returns nothing to wait for.
    void json(request, text, (err, parsed) => {
      if (err) return done(new ApiError(400, 'invalid_json', 'The body is not valid JSON.'), undefined);
      done(null, parsed);
    });
  });
}
