import type { FastifyReply } from 'fastify';

import { jsonReplacer } from '../platform/history.js';
import { REJECTION_HTTP_STATUS, type Rejection, type RejectionCode } from '../platform/rejection.js';

/** Media type of every error response (RFC 9457). */
export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/**
 * Prefix of the `type` URI of every problem; the rejection code completes it.
 * The URIs identify the problem kind; clients must not expect them to resolve.
 */
export const PROBLEM_TYPE_BASE = 'https://o2c.dev/problems/';

/** Code of the problem sent for a bug; it is no rejection code because nothing expected it. */
export const INTERNAL_ERROR_CODE = 'internal_error';

/** One invalid field of a request: a JSON pointer (RFC 6901) into the request body and what is wrong with it. */
export interface FieldError {
  pointer: string;
  detail: string;
}

/** An RFC 9457 problem details object with o2c's extension members. */
export interface ProblemDetails {
  type: string;
  title: string;
  status: number;
  detail: string;
  /** The stable snake_case code that clients branch on. */
  code: RejectionCode | typeof INTERNAL_ERROR_CODE;
  /** The facts behind the rejection (SKU, requested, available, ...), as the command reported them. */
  facts: Record<string, unknown>;
  /** Present when one or more request fields are to blame. */
  errors?: FieldError[];
  /** The id under which the server logged this request. */
  requestId: string;
}

/** Acronyms that a title spells in capitals. */
const TITLE_ACRONYMS: Record<string, string> = { gtin: 'GTIN' };

/**
 * Returns a short, fixed summary of a code: `insufficient_stock` becomes
 * "Insufficient stock". RFC 9457 wants the title to stay the same for every
 * occurrence, so it is derived from the code and never from the message.
 */
export function problemTitle(code: string): string {
  const words = code.split('_').map((word) => TITLE_ACRONYMS[word] ?? word);
  const sentence = words.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** Builds the problem details for an expected rejection; the status comes from REJECTION_HTTP_STATUS. */
export function problemFromRejection(rejection: Rejection, requestId: string): ProblemDetails {
  const problem: ProblemDetails = {
    type: PROBLEM_TYPE_BASE + rejection.code,
    title: problemTitle(rejection.code),
    status: REJECTION_HTTP_STATUS[rejection.code],
    detail: rejection.message,
    code: rejection.code,
    facts: toJsonFacts(rejection.facts),
    requestId,
  };

  const errors = fieldErrors(rejection);
  if (errors.length > 0) problem.errors = errors;
  return problem;
}

/** Builds the 500 problem for a bug. It names no internals: the log has them under the request id. */
export function internalErrorProblem(requestId: string): ProblemDetails {
  return {
    type: PROBLEM_TYPE_BASE + INTERNAL_ERROR_CODE,
    title: problemTitle(INTERNAL_ERROR_CODE),
    status: 500,
    detail:
      `The server failed to process the request; report request id ${requestId} to the operator. ` +
      'The change may or may not have been saved, so read the document again before retrying.',
    code: INTERNAL_ERROR_CODE,
    facts: {},
    requestId,
  };
}

/** Sends a problem with its status and the problem+json media type. */
export function sendProblem(reply: FastifyReply, problem: ProblemDetails): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

export function sendRejection(reply: FastifyReply, rejection: Rejection): FastifyReply {
  return sendProblem(reply, problemFromRejection(rejection, reply.request.id));
}

/**
 * Collects the invalid fields: the list that validateInput puts in
 * `facts.errors`, or else the rejection's single pointer.
 */
function fieldErrors(rejection: Rejection): FieldError[] {
  const listed = rejection.facts.errors;
  if (Array.isArray(listed)) {
    const errors = listed.filter(isPointerAndMessage).map((error) => ({ pointer: error.pointer, detail: error.message }));
    if (errors.length > 0) return errors;
  }
  if (rejection.pointer !== undefined) {
    return [{ pointer: rejection.pointer, detail: rejection.message }];
  }
  return [];
}

function isPointerAndMessage(value: unknown): value is { pointer: string; message: string } {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as { pointer?: unknown; message?: unknown };
  return typeof candidate.pointer === 'string' && typeof candidate.message === 'string';
}

/**
 * Makes facts safe for JSON: a bigint (an amount in minor units) becomes a
 * decimal string of the same integer, as the history table stores it.
 */
function toJsonFacts(facts: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(JSON.stringify(facts, jsonReplacer)) as Record<string, unknown>;
}
