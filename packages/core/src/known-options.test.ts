import { describe, expect, it } from 'vitest';
import { closestName, rejectUnknownOptions } from './known-options.js';

describe('rejectUnknownOptions', () => {
  it('accepts known names, and refuses an unknown one naming the closest known one', () => {
    expect(() => rejectUnknownOptions('createWorker', { service: 'apollo', concurrency: 2 }, ['service', 'concurrency'])).not.toThrow();
    expect(() => rejectUnknownOptions('createWorker', { concurency: 4 }, ['service', 'concurrency'])).toThrow(
      'Unknown option "concurency" for createWorker (did you mean "concurrency"?)',
    );
    expect(() => rejectUnknownOptions('RedisQueueStore', { redis: {}, prefix: 'x', colour: 1 }, ['redis', 'keyPrefix'])).toThrow(
      'Unknown option "prefix" for RedisQueueStore (did you mean "keyPrefix"?); Unknown option "colour" for RedisQueueStore',
    );
  });

  it('suggests only names near enough', () => {
    expect(closestName('resumeBatch', ['resumeBatchSize', 'jobResumeChunkSize'])).toBe('resumeBatchSize');
    expect(closestName('timeout', ['timeoutMs', 'leaseMs'])).toBe('timeoutMs');
    expect(closestName('pollInterval', ['pollIntervalMs'])).toBe('pollIntervalMs');
    expect(closestName('zzz', ['service', 'handler'])).toBeNull();
  });
});
