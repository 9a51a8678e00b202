import { randomUUID } from 'node:crypto';

import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { RejectionError, type Rejection } from '../platform/rejection.js';
import type { DB } from '../platform/schema.js';
import { registerIdempotency } from './idempotency.js';
import { configureJson } from './json.js';
import { internalErrorProblem, sendProblem, sendRejection } from './problem.js';
import { registerRequestScope } from './request-scope.js';
import { registerTextGuard } from './text-guard.js';
import { registerCatalogRoutes } from './routes/catalog.js';
import { registerCompanyRoutes } from './routes/companies.js';
import { registerCustomerRoutes } from './routes/customers.js';
import { registerInvoiceRoutes } from './routes/invoices.js';
import { registerOperationsRoutes } from './routes/operations.js';
import { registerOrderRoutes } from './routes/orders.js';
import { registerPaymentRoutes } from './routes/payments.js';
import { registerReceivablesRoutes } from './routes/receivables.js';
import { registerShipmentRoutes } from './routes/shipments.js';
import { registerStockRoutes } from './routes/stock.js';

/**
 * Listen address when the caller names none. Without authentication the API
 * must not be reachable from other machines unless an operator decides so.
 */
export const DEFAULT_HOST = '127.0.0.1';

/** Response header that carries the id the server logged the request under. */
export const REQUEST_ID_HEADER = 'Request-Id';

export interface ServerOptions {
  db: Kysely<DB>;
  /** Every request logs through a child of this logger, with its request id. */
  logger: Logger;
  /** Business time for every command. */
  clock: Clock;
  /** Code of the company a request acts for when it sends no O2C-Company header. */
  defaultCompanyCode: string;
}

/**
 * Builds the HTTP API without opening a port; call `listen` (or use
 * `inject` in tests). Bodies carry amounts, prices and quantities as decimal
 * strings, and every error is an RFC 9457 problem.
 */
export function buildServer(options: ServerOptions): FastifyInstance {
  const app = Fastify({
    // Typed as Fastify's base logger so that routes take a plain FastifyInstance.
    loggerInstance: options.logger as FastifyBaseLogger,
    genReqId: () => randomUUID(),
    logController: new LogController({ requestIdLogLabel: 'requestId' }),
    // Errors Fastify raises before routing, such as a malformed URL.
    frameworkErrors: (error, request, reply) => {
      sendRejection(reply, clientErrorRejection(error, request) ?? invalidRequest(error.message, {}));
    },
  });

  configureJson(app);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => {
    sendRejection(reply, {
      code: 'route_not_found',
      message: `There is no route ${request.method} ${request.url.split('?')[0]}; check the method and the path.`,
      facts: { method: request.method, url: request.url },
    });
  });
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    return payload;
  });

  registerTextGuard(app);
  registerRequestScope(app, options);
  registerIdempotency(app, options.db);

  registerCompanyRoutes(app, options);
  registerCustomerRoutes(app);
  registerCatalogRoutes(app);
  registerStockRoutes(app);
  registerOrderRoutes(app);
  registerShipmentRoutes(app);
  registerInvoiceRoutes(app);
  registerPaymentRoutes(app);
  registerReceivablesRoutes(app);
  registerOperationsRoutes(app, options);
  return app;
}

/** Opens the port; the host defaults to DEFAULT_HOST. Returns the address the server listens on. */
export async function listen(app: FastifyInstance, options: { port: number; host?: string }): Promise<string> {
  return app.listen({ port: options.port, host: options.host ?? DEFAULT_HOST });
}

/**
 * Turns any error that reaches Fastify into a problem. A rejection thrown by
 * a query and a client error Fastify raised keep their 4xx status. Anything
 * else is a bug: it is logged at error level with the request id, and the
 * client gets a 500 problem that names no internals.
 */
function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof RejectionError) {
    return sendRejection(reply, error.rejection);
  }

  const clientError = clientErrorRejection(error, request);
  if (clientError !== null) {
    return sendRejection(reply, clientError);
  }

  request.log.error({ err: error }, 'request failed with an unexpected error');
  return sendProblem(reply, internalErrorProblem(request.id));
}

/** Maps the client errors Fastify raises itself (code FST_…, status 4xx) to rejections; null for anything else. */
function clientErrorRejection(error: FastifyError, request: FastifyRequest): Rejection | null {
  const status = error.statusCode ?? 500;
  if (typeof error.code !== 'string' || !error.code.startsWith('FST_') || status < 400 || status >= 500) {
    return null;
  }

  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return {
        code: 'invalid_request',
        message: 'The request body is not valid JSON; send one JSON object, with decimal values as strings.',
        facts: { errors: [{ pointer: '', message: 'is not valid JSON' }] },
        pointer: '',
      };
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        code: 'payload_too_large',
        message: `The request body is larger than the ${request.server.initialConfig.bodyLimit} bytes the server accepts; split the request.`,
        facts: { bodyLimit: request.server.initialConfig.bodyLimit },
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        code: 'unsupported_media_type',
        message: `Content-Type ${request.headers['content-type'] ?? '(none)'} is not supported; send application/json.`,
        facts: { contentType: request.headers['content-type'] ?? null },
      };
    default:
      return invalidRequest(error.message, { fastifyCode: error.code });
  }
}

function invalidRequest(message: string, facts: Record<string, unknown>): Rejection {
  return { code: 'invalid_request', message, facts };
}
