/**
 * For hosts that parse request bodies before the router, the usual order:
 *
 *   app.use(express.json());
 *   app.use('/api/v1/queue-management', queueManagementRouter({ breakwater: bw, authorize }));
 *   app.use('/api/v1/queue-management', queueManagementErrorHandler());
 *
 * A body the host's parser refuses never reaches the router (Express skips ordinary middleware once
 * there is an error), so without this Express answers with its HTML error page. Mounted at the
 * router's path, after it, this answers such refusals in the router's envelope. Every other error
 * goes on to the host's own error handling.
 */
import type { ErrorRequestHandler } from 'express';
import { sendError } from './envelope.js';
import { bodyParserErrorResponse } from './error-response.js';

export function queueManagementErrorHandler(): ErrorRequestHandler {
  return (error: unknown, _req, res, next) => {
    const response = res.headersSent ? null : bodyParserErrorResponse(error);
    if (!response) {
      next(error);
      return;
    }
    sendError(res, response.status, response.detail);
  };
}
