/**
 * `POST /circuit-breakers/:service/reset` closes a breaker (and resumes nothing: only a queue resume does);
 * `POST /circuit-breakers/:service/trip` forces it open and runs the pause cascade.
 * An unknown service makes core throw UnknownServiceError: 404 naming it.
 */
import type { Breakwater } from '@breakwater/core';
import type { Request, RequestHandler } from 'express';
import { asyncHandler } from '../async-handler.js';
import { sendSuccess } from '../envelope.js';
import { HttpError } from '../http-error.js';
import { parseBody, serviceParamSchema, tripBodySchema } from '../request-body.js';
import { toWireBreaker } from '../wire-format.js';

function serviceOf(req: Request): string {
  const parsed = serviceParamSchema.safeParse(req.params.service);
  if (!parsed.success) throw new HttpError(400, 'Invalid service name in the path');
  return parsed.data;
}

export function resetBreakerHandler(breakwater: Pick<Breakwater, 'breakers'>): RequestHandler {
  return asyncHandler(async (req, res) => {
    sendSuccess(res, toWireBreaker(await breakwater.breakers.reset(serviceOf(req))));
  });
}

export function tripBreakerHandler(breakwater: Pick<Breakwater, 'breakers'>): RequestHandler {
  return asyncHandler(async (req, res) => {
    const service = serviceOf(req);
    const { reason } = parseBody(tripBodySchema, req.body);
    sendSuccess(res, toWireBreaker(await breakwater.breakers.trip(service, reason)));
  });
}
