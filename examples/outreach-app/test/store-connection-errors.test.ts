/** A store that does not answer at start stops the app with a message naming it, its URL (password masked) and why. */
import { isBreakwaterError } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { consoleLogger } from '../src/console-logger.js';
import { buildStores } from '../src/stores.js';

const silent = consoleLogger({ level: 'silent' });

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof Error)) throw new Error('expected the stores to fail');
  return error;
}

describe('buildStores when a server does not answer', () => {
  it('names Redis and its URL', async () => {
    const error = await failure(
      buildStores({ databaseUrl: null, databaseSchema: null, redisUrl: 'redis://:hunter2@127.0.0.1:1', redisKeyPrefix: '' }, silent),
    );
    expect(isBreakwaterError(error) && error.code).toBe('STORE_ERROR');
    expect(error.message).toMatch(/^Could not connect to Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1: .*ECONNREFUSED/);
    expect(error.message).not.toContain('hunter2');
  });

  it('names PostgreSQL and its URL', async () => {
    const error = await failure(
      buildStores(
        { databaseUrl: 'postgres://app:hunter2@127.0.0.1:1/outreach', databaseSchema: null, redisUrl: null, redisKeyPrefix: '' },
        silent,
      ),
    );
    expect(isBreakwaterError(error) && error.code).toBe('STORE_ERROR');
    expect(error.message).toMatch(/^Could not connect to PostgreSQL at postgres:\/\/app:\*\*\*@127\.0\.0\.1:1\/outreach: .*ECONNREFUSED/);
    expect(error.message).not.toContain('hunter2');
  });
});
