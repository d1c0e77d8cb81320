/**
 * `POST /circuit-breakers/:service/reset` closes a breaker (and resumes nothing: only a queue resume does);
 * `POST /circuit-breakers/:service/trip` forces it open and runs the pause cascade. Either records the
 * operator `identify(req)` names as who asked (the history's actor).
 * An unknown service makes core throw UnknownServiceError: 404 naming it.
 */
import type { BreakerActionOptions } from '@breakwater/core';
import type { Request, RequestHandler } from 'express';
import { asyncHandler } from '../async-handler.js';
import { requestedBy } from '../authorization.js';
import { sendSuccess } from '../envelope.js';
import { HttpError } from '../http-error.js';
import type { ResolvedRouterOptions } from '../options.js';
import { parseBody, serviceParamSchema, tripBodySchema } from '../request-body.js';
import { toWireBreaker } from '../wire-format.js';

function serviceOf(req: Request): string {
  const parsed = serviceParamSchema.safeParse(req.params.service);
  if (!parsed.success) throw new HttpError(400, 'Invalid service name in the path');
  return parsed.data;
}

type Options = Pick<ResolvedRouterOptions, 'breakwater' | 'identify'>;

function actionBy(options: Options, req: Request): BreakerActionOptions {
  const by = requestedBy(options, req);
  return by === undefined ? {} : { requestedBy: by };
}

export function resetBreakerHandler(options: Options): RequestHandler {
  return asyncHandler(async (req, res) => {
    const service = serviceOf(req);
    sendSuccess(res, toWireBreaker(await options.breakwater.breakers.reset(service, actionBy(options, req))));
  });
}

export function tripBreakerHandler(options: Options): RequestHandler {
  return asyncHandler(async (req, res) => {
    const service = serviceOf(req);
    const { reason } = parseBody(tripBodySchema, req.body);
    sendSuccess(res, toWireBreaker(await options.breakwater.breakers.trip(service, reason, actionBy(options, req))));
  });
}
