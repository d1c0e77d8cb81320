/** Which status code and detail every error leaves the router with: always the envelope, never an HTML page. */
import { type BreakwaterErrorCode, isBreakwaterError } from '@breakwater/core';
import type { ErrorRequestHandler } from 'express';
import { sendError } from './envelope.js';
import { HttpError } from './http-error.js';

export interface ErrorResponse {
  status: number;
  detail: string;
  headers?: Readonly<Record<string, string>>;
  /** Server-side failures are logged; a client's mistake is not. */
  log: boolean;
}

const STATUS_BY_CODE: Record<BreakwaterErrorCode, number> = {
  // A blocked resume (docs/manual-resume.md, step 3) answers 400 with the message as `detail`.
  PREREQUISITES_NOT_MET: 400,
  RESUME_IN_PROGRESS: 409,
  UNKNOWN_SERVICE: 404,
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  INVALID_OPTIONS: 400,
  CIRCUIT_OPEN: 503,
  TIMEOUT: 504,
  STORE_ERROR: 503,
  // A store that lost its state is rebuilt before it answers; one that could not be rebuilt is unavailable.
  STATE_LOST: 503,
  RESUME_STALLED: 503,
  // The history asked of an instance that records none.
  NOT_CONFIGURED: 404,
};

/** What body-parser (Express's `express.json()`, `express.urlencoded()`, …) throws: an http-errors object with a `type`. */
interface BodyParserError {
  type?: unknown;
  status?: unknown;
  expose?: unknown;
  message?: unknown;
}

export function toErrorResponse(error: unknown): ErrorResponse {
  if (error instanceof HttpError) return { status: error.status, detail: error.message, headers: error.headers, log: false };
  if (isBreakwaterError(error)) {
    const status = STATUS_BY_CODE[error.code] ?? 500;
    if (error.code === 'STORE_ERROR') {
      // The driver's message can name hosts and credentials: it goes to the log, not to the client.
      const port = 'port' in error && 'operation' in error ? `${String(error.port)}.${String(error.operation)}` : 'store';
      return { status, detail: `Storage unavailable (${port} failed); try again shortly`, log: true };
    }
    return { status, detail: error.message, log: status >= 500 };
  }
  // Express decodes path parameters itself: a malformed percent-escape (`%E0%A4%A`, `%`) is the client's
  // mistake, answered before any handler runs, so it must cost neither a 500 nor a stack in the log.
  if (error instanceof URIError) return { status: 400, detail: 'Malformed percent-encoding in the request path', log: false };
  const clientError = bodyParserErrorResponse(error) ?? exposedClientErrorResponse(error);
  return clientError ?? { status: 500, detail: 'Internal server error', log: true };
}

/** A request body a body parser refused (malformed JSON, too large, bad charset…), or null for any other error. */
export function bodyParserErrorResponse(error: unknown): ErrorResponse | null {
  const parserError = typeof error === 'object' && error !== null ? (error as BodyParserError) : {};
  if (typeof parserError.type !== 'string') return null;
  switch (parserError.type) {
    case 'entity.parse.failed':
      return { status: 400, detail: 'Malformed JSON in request body', log: false };
    case 'entity.too.large':
      return { status: 413, detail: 'Request body too large', log: false };
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return { status: 415, detail: String(parserError.message), log: false };
  }
  // The parser's other refusals (`request.aborted`, `parameters.too.many`, …) carry their own 4xx status.
  return exposedClientErrorResponse(error);
}

/** Any other client error raised by Express's own middleware (it sets `expose` on those). */
function exposedClientErrorResponse(error: unknown): ErrorResponse | null {
  const httpError = typeof error === 'object' && error !== null ? (error as BodyParserError) : {};
  if (typeof httpError.status === 'number' && httpError.status >= 400 && httpError.status < 500 && httpError.expose === true) {
    return { status: httpError.status, detail: String(httpError.message), log: false };
  }
  return null;
}

export interface ErrorLogger {
  error(fields: Record<string, unknown>, message?: string): void;
}

/** The router's last middleware: every error, from a handler or a parser, answered with the envelope. */
export function createErrorHandler(logger: ErrorLogger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    // A stream (the event stream) already started: all we can do is end it.
    if (res.headersSent) {
      next(error);
      return;
    }
    const response = toErrorResponse(error);
    if (response.log)
      logger.error(
        { err: error, method: req.method, path: req.originalUrl },
        `Queue management request failed: ${req.method} ${req.originalUrl}`,
      );
    if (response.headers) res.set(response.headers);
    sendError(res, response.status, response.detail);
  };
}
