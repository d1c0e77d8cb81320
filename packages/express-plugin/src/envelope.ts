/** The one response shape of every route: `{ status: 'success', data }` or `{ status: 'error', detail }`. */
import type { Response } from 'express';

export interface SuccessEnvelope<T> {
  status: 'success';
  data: T;
}

export interface ErrorEnvelope {
  status: 'error';
  detail: string;
}

export function sendSuccess<T>(res: Response, data: T, httpStatus = 200): void {
  const body: SuccessEnvelope<T> = { status: 'success', data };
  res.status(httpStatus).json(body);
}

export function sendError(res: Response, httpStatus: number, detail: string): void {
  const body: ErrorEnvelope = { status: 'error', detail };
  res.status(httpStatus).json(body);
}
