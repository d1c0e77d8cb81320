import {
  CircuitOpenError,
  InvalidTransitionError,
  NotFoundError,
  PrerequisitesNotMetError,
  ResumeInProgressError,
  StoreError,
  UnknownServiceError,
} from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { toErrorResponse } from './error-response.js';
import { HttpError } from './http-error.js';

describe('toErrorResponse', () => {
  it.each([
    [
      new PrerequisitesNotMetError('Cannot resume queue: Circuit breakers still open for: apollo (open)', []),
      400,
      'Cannot resume queue: Circuit breakers still open for: apollo (open)',
    ],
    [new ResumeInProgressError(), 409, 'A queue resume is already in progress'],
    [new UnknownServiceError('x'), 404, 'Unknown service: x'],
    [new NotFoundError('Campaign', '7'), 404, 'Campaign 7 not found'],
    [new InvalidTransitionError('DRAFT', 'PAUSED'), 409, 'Invalid campaign state transition'],
    [new CircuitOpenError('apollo', 'open'), 503, 'Circuit breaker for apollo does not allow requests (open)'],
    [new HttpError(403, 'no'), 403, 'no'],
  ])('maps %s', (error, status, detail) => {
    expect(toErrorResponse(error)).toMatchObject({ status, detail, log: status >= 500 });
  });

  it('keeps a store driver message out of the detail', () => {
    const response = toErrorResponse(new StoreError('QueueStore', 'getStates', new Error('WRONGPASS invalid password for redis://admin')));
    expect(response).toEqual({ status: 503, detail: 'Storage unavailable (QueueStore.getStates failed); try again shortly', log: true });
  });

  it('hides unexpected errors behind a 500', () => {
    expect(toErrorResponse(new Error('secret internals'))).toEqual({ status: 500, detail: 'Internal server error', log: true });
    expect(toErrorResponse('a string')).toEqual({ status: 500, detail: 'Internal server error', log: true });
  });
});
