/** `GET /status` and `GET /circuit-breakers`: read-only snapshots in snake_case. */
import type { Breakwater } from '@breakwater/core';
import type { RequestHandler } from 'express';
import { asyncHandler } from '../async-handler.js';
import { sendSuccess } from '../envelope.js';
import { toWireBreaker, toWireStatus } from '../wire-format.js';

export function statusHandler(breakwater: Pick<Breakwater, 'status'>): RequestHandler {
  return asyncHandler(async (_req, res) => {
    sendSuccess(res, toWireStatus(await breakwater.status()));
  });
}

export function listBreakersHandler(breakwater: Pick<Breakwater, 'breakers'>): RequestHandler {
  return asyncHandler(async (_req, res) => {
    sendSuccess(res, (await breakwater.breakers.list()).map(toWireBreaker));
  });
}
