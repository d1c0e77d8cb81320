/**
 * Who may do what. Reading (status, breakers, the dashboard) is open; with an API token
 * configured, everything that changes state needs `Authorization: Bearer <token>` (or the session
 * cookie `/login` hands a browser). Without one this demo serves everything to anyone, which the
 * router only accepts when told so explicitly.
 */
import type { Request, RequestHandler } from 'express';
import { hasOperatorSession } from './operator-session.js';
import { sameSecret } from './secret-comparison.js';

/** Names the operator in the resume report's `requested_by`, e.g. `X-Operator: jane@example.com`. */
export const OPERATOR_HEADER = 'x-operator';

export class AuthenticationRequiredError extends Error {
  constructor() {
    super('Authentication required: send Authorization: Bearer <BREAKWATER_API_TOKEN>, or log in at /login');
  }
}

/** The bearer header (scripts, curl), or the session cookie `/login` gave a browser (the dashboard). */
function hasToken(req: Request, token: string): boolean {
  const match = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (match?.[1] !== undefined) return sameSecret(match[1].trim(), token);
  return hasOperatorSession(req, token);
}

export interface QueueAuthorization {
  authorize?: (req: Request, action: string) => boolean;
  allowUnauthenticated?: true;
  identify: (req: Request) => string | undefined;
}

/** The queue-management router's `authorize` / `allowUnauthenticated` and `identify`. */
export function queueAuthorization(apiToken: string | null): QueueAuthorization {
  const identify = (req: Request) => {
    const operator = req.headers[OPERATOR_HEADER];
    if (typeof operator === 'string' && operator.trim() !== '') return operator.trim().slice(0, 200);
    return apiToken && hasToken(req, apiToken) ? 'operator (API token)' : undefined;
  };
  if (!apiToken) return { allowUnauthenticated: true, identify };
  return {
    authorize: (req, action) => {
      if (action === 'view') return true;
      // Throwing tells the router "not authenticated" (401) rather than "not allowed" (403).
      if (!hasToken(req, apiToken)) throw new AuthenticationRequiredError();
      return true;
    },
    identify,
  };
}

/** The same rule for the demo API's state-changing routes. */
export function requireApiToken(apiToken: string | null): RequestHandler {
  return (req, res, next) => {
    if (!apiToken || hasToken(req, apiToken)) {
      next();
      return;
    }
    res.status(401).set('WWW-Authenticate', 'Bearer').json({ status: 'error', detail: new AuthenticationRequiredError().message });
  };
}
