import { isBreakwaterError } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { loadConfig, redactUrl } from './config.js';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(isBreakwaterError(error) && error.code).toBe('INVALID_OPTIONS');
    return (error as Error).message;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('loadConfig', () => {
  it('defaults to in-memory stores on 127.0.0.1:3000 without a token', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      databaseUrl: null,
      databaseSchema: null,
      redisUrl: null,
      redisKeyPrefix: '',
      apiToken: null,
      logLevel: 'info',
      failureThreshold: 5,
    });
  });

  it('reads the variables, treating empty ones as unset', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://app:secret@db:5432/outreach',
      DATABASE_SCHEMA: 'outreach',
      REDIS_URL: 'redis://cache:6379/2',
      REDIS_KEY_PREFIX: 'outreach:',
      BREAKWATER_API_TOKEN: 'a-long-enough-api-token',
      LOG_LEVEL: 'warn',
      WORKER_CONCURRENCY: '',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      databaseUrl: 'postgres://app:secret@db:5432/outreach',
      databaseSchema: 'outreach',
      redisUrl: 'redis://cache:6379/2',
      redisKeyPrefix: 'outreach:',
      apiToken: 'a-long-enough-api-token',
      logLevel: 'warn',
      workerConcurrency: 2,
    });
  });

  it('names every bad variable at once, and what it got', () => {
    const message = configError({ PORT: 'eighty', REDIS_URL: 'localhost:6379', LOG_LEVEL: 'loud' });
    expect(message).toContain('PORT must be a number (got "eighty")');
    expect(message).toContain('REDIS_URL must be a URL like redis://localhost:6379 (got "localhost:6379")');
    expect(message).toContain('LOG_LEVEL must be one of debug, info, warn, error, silent (got "loud")');
  });

  it('rejects out-of-range numbers and a non-Postgres DATABASE_URL', () => {
    expect(configError({ PORT: '70000' })).toContain('PORT must be a whole number between 0 and 65535 (got "70000")');
    expect(configError({ DATABASE_URL: 'mysql://db/outreach' })).toContain('DATABASE_URL must be a URL like postgres://');
  });

  it('never repeats a token or a password in its errors', () => {
    const message = configError({ BREAKWATER_API_TOKEN: 'short-secret', DATABASE_URL: 'mysql://app:hunter2@db/x' });
    expect(message).toContain('BREAKWATER_API_TOKEN must be at least 16 characters long (got 12 characters)');
    expect(message).not.toContain('short-secret');
    expect(message).not.toContain('hunter2');
  });

  it('checks the variables against each other', () => {
    expect(configError({ SIMULATED_LATENCY_MIN_MS: '500', SIMULATED_LATENCY_MAX_MS: '100' })).toContain(
      'SIMULATED_LATENCY_MIN_MS (500) must not exceed SIMULATED_LATENCY_MAX_MS (100)',
    );
    expect(configError({ DATABASE_SCHEMA: 'outreach' })).toContain('DATABASE_SCHEMA is set but DATABASE_URL is not');
  });
});

describe('redactUrl', () => {
  it('masks the password and keeps the rest', () => {
    expect(redactUrl('postgres://app:secret@db:5432/outreach')).toBe('postgres://app:***@db:5432/outreach');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
