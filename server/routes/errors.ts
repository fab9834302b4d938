// One error shape for every failure: {error:{code, message, details?}} (DESIGN §5). Client mistakes get a
// precise code; server faults get a generic 500 and the detail goes to the log only.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../payments/api-error.ts';
import { setSecurityHeaders } from './security.ts';

const FASTIFY_CODES: Record<string, { status: number; code: string; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', message: 'The request body is larger than 64 KB.' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The body is not valid JSON.' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'invalid_json', message: 'The body is empty; send a JSON object.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'unsupported_media_type', message: 'Send the body as application/json.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'invalid_request', message: 'Content-Length does not match the body.' },
  FST_ERR_BAD_URL: { status: 400, code: 'invalid_url', message: 'The URL is not valid (a malformed %-escape).' },
  FST_ERR_MAX_PARAM_LENGTH: { status: 414, code: 'uri_too_long', message: 'A part of this URL is longer than 100 characters.' },
};

export function errorBody(code: string, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Fastify's `frameworkErrors`: requests the router refuses before any route or hook sees them get the same
 *  error body as everything else, not Fastify's own. */
export function handleFrameworkError(err: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  // Sent outside every route context, so the onSend hook that sets these does not run.
  setSecurityHeaders(request, reply);
  const known = FASTIFY_CODES[err.code] ?? {
    status: err.statusCode ?? 400,
    code: 'bad_request',
    message: 'The request could not be routed.',
  };
  void reply.status(known.status).send(errorBody(known.code, known.message));
}

export function installErrorHandling(
  app: FastifyInstance,
  isSpaRequest: (url: string, accept: string | undefined, method: string) => boolean,
  sendSpa: ((reply: FastifyReply) => unknown) | null,
): void {
  app.setErrorHandler((err: FastifyError | ApiError, request, reply) => {
    if (err instanceof ApiError) {
      if (err.status >= 500) request.log.warn({ code: err.code }, err.message);
      return reply.status(err.status).send(errorBody(err.code, err.message, err.details));
    }
    const known = err.code ? FASTIFY_CODES[err.code] : undefined;
    if (known) return reply.status(known.status).send(errorBody(known.code, known.message));
    if (err.validation) return reply.status(400).send(errorBody('invalid_request', err.message));
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      return reply.status(status).send(errorBody('bad_request', err.message));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody('internal_error', 'Something went wrong on the server. The payment state is safe; try again.'));
  });

  app.setNotFoundHandler((request, reply) => {
    if (sendSpa && isSpaRequest(request.url, request.headers.accept, request.method)) return sendSpa(reply);
    return reply.status(404).send(errorBody('not_found', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
}
