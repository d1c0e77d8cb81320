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
import { bodyParserErrorResponse, toErrorResponse } from './error-response.js';
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

describe('bodyParserErrorResponse', () => {
  /** What body-parser throws: an http-errors object with a `type`. */
  const parserError = (type: string, status: number, message: string) => Object.assign(new Error(message), { type, status, expose: true });

  it.each([
    [parserError('entity.parse.failed', 400, 'Unexpected end of JSON input'), 400, 'Malformed JSON in request body'],
    [parserError('entity.too.large', 413, 'request entity too large'), 413, 'Request body too large'],
    [parserError('charset.unsupported', 415, 'unsupported charset "KLINGON"'), 415, 'unsupported charset "KLINGON"'],
    [parserError('request.aborted', 400, 'request aborted'), 400, 'request aborted'],
  ])('answers %s', (error, status, detail) => {
    expect(bodyParserErrorResponse(error)).toEqual({ status, detail, log: false });
  });

  it('leaves every other error alone', () => {
    expect(bodyParserErrorResponse(new Error('the host broke'))).toBeNull();
    expect(bodyParserErrorResponse(new ResumeInProgressError())).toBeNull();
    expect(bodyParserErrorResponse(Object.assign(new Error('Not Found'), { status: 404, expose: true }))).toBeNull();
    expect(bodyParserErrorResponse(undefined)).toBeNull();
  });
});
