import { InvalidOptionsError, isBreakwaterError } from '@breakwater/core';
import { queueManagementRouter } from '@breakwater/express-plugin';
import { afterAll, describe, expect, it } from 'vitest';
import { closeTestBreakwaters, createTestBreakwater } from './in-memory-breakwater.js';

const { bw } = createTestBreakwater();
afterAll(closeTestBreakwaters);
const allow = (): boolean => true;

function failureOf(build: () => unknown): Error {
  try {
    build();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the router not to be built');
}

describe('queueManagementRouter options', () => {
  it('refuse to build without authorize, naming the option and the explicit opt-out', () => {
    const error = failureOf(() => queueManagementRouter({ breakwater: bw }));
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(isBreakwaterError(error) && error.code).toBe('INVALID_OPTIONS');
    expect(error.message).toBe(
      'Missing required option "authorize": pass authorize(req, action), or allowUnauthenticated: true to serve these routes to anyone',
    );
  });

  it('build with authorize, or with allowUnauthenticated: true', () => {
    expect(typeof queueManagementRouter({ breakwater: bw, authorize: allow })).toBe('function');
    expect(typeof queueManagementRouter({ breakwater: bw, allowUnauthenticated: true })).toBe('function');
  });

  it.each<[string, unknown, string]>([
    [
      'allowUnauthenticated other than true',
      { breakwater: bw, allowUnauthenticated: false },
      'Invalid option "allowUnauthenticated": must be true when given (omit it to require authorize)',
    ],
    ['no breakwater', { authorize: allow }, 'Missing required option "breakwater"'],
    [
      'a breakwater that is not one',
      { breakwater: {}, authorize: allow },
      'Invalid option "breakwater": must be a Breakwater instance (from createBreakwater)',
    ],
    [
      'an authorize that is not a function',
      { breakwater: bw, authorize: true },
      'Invalid option "authorize": must be a function (req, action) => boolean | Promise<boolean>',
    ],
    [
      'a metrics that is not a registry',
      { breakwater: bw, authorize: allow, metrics: {} },
      'Invalid option "metrics": must be a prom-client Registry',
    ],
    [
      'an allowed origin with a path',
      { breakwater: bw, authorize: allow, allowedOrigins: ['https://ops.example.com/x'] },
      'Invalid option "allowedOrigins.0": must be origins like "https://ops.example.com"',
    ],
    [
      'a heartbeat of zero',
      { breakwater: bw, authorize: allow, heartbeatIntervalMs: 0 },
      'Invalid option "heartbeatIntervalMs": Too small: expected number to be >0',
    ],
    ['an unknown option', { breakwater: bw, authorize: allow, authorise: allow }, 'Unknown option "authorise"'],
  ])('reject %s with a message naming it', (_case, options, message) => {
    const error = failureOf(() => queueManagementRouter(options as never));
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect(error.message).toBe(message);
  });

  it('reject a missing options object', () => {
    expect(failureOf(() => queueManagementRouter(undefined as never)).message).toBe(
      'queueManagementRouter needs an options object: { breakwater, authorize }',
    );
  });
});
