import type { FastifyInstance } from 'fastify';

/**
 * Serializes a reply body. Amounts, prices and quantities travel as decimal
 * strings, so a bigint or a number that is not a safe integer in a reply is a
 * bug: the serializer throws and the client gets a 500 problem instead of a
 * rounded value.
 */
export function serializeReply(payload: unknown): string {
  return JSON.stringify(payload, (key, value: unknown) => {
    if (typeof value === 'bigint') {
      throw new TypeError(`Reply field "${key}" is a bigint (${value}); format it as a decimal string with its currency`);
    }
    if (typeof value === 'number' && !Number.isSafeInteger(value)) {
      throw new TypeError(`Reply field "${key}" is the number ${value}; send amounts, prices and quantities as decimal strings`);
    }
    return value;
  });
}

/**
 * Sets up request and reply JSON. Bodies are parsed by Fastify's own JSON
 * parser, which rejects `__proto__` and `constructor.prototype` keys, except
 * that an empty body counts as no body: clients often send
 * `Content-Type: application/json` on a POST without one. Only JSON bodies
 * are accepted; other media types get 415.
 */
export function configureJson(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(null, undefined);
      return;
    }
    parseJson(request, text, done);
  });
  app.setReplySerializer(serializeReply);
}
