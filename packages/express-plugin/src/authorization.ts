/**
 * Every route asks the host's `authorize(req, action)` first. Only `true` lets the request
 * through (403 otherwise); a throw means "not authenticated" (401). Both fail closed.
 */
import type { Request, RequestHandler } from 'express';
import { asyncHandler } from './async-handler.js';
import { HttpError } from './http-error.js';
import type { QueueAction, ResolvedRouterOptions } from './options.js';

export function requireAction(options: Pick<ResolvedRouterOptions, 'authorize'>, action: QueueAction): RequestHandler {
  const { authorize } = options;
  return asyncHandler(async (req, _res, next) => {
    if (authorize) {
      let allowed: unknown;
      try {
        allowed = await authorize(req, action);
      } catch {
        throw new HttpError(401, 'Authentication required');
      }
      if (allowed !== true) throw new HttpError(403, `Not authorized to ${action} queue management`);
    }
    next();
  });
}

/** The resume report's `requestedBy`, from the host's `identify(req)`; a throw answers 401 like `authorize`. */
export function requestedBy(options: Pick<ResolvedRouterOptions, 'identify'>, req: Request): string | undefined {
  if (!options.identify) return undefined;
  let identity: unknown;
  try {
    identity = options.identify(req);
  } catch {
    throw new HttpError(401, 'Authentication required');
  }
  return typeof identity === 'string' && identity.length > 0 ? identity : undefined;
}
