import { describe, expect, it } from 'vitest';
import { hashTagOf, requireClusterHashTag } from './cluster-hash-tag.js';

describe('hashTagOf (Redis Cluster rule: between the first "{" and the first "}" after it, not empty)', () => {
  it('finds the tag a prefix puts on every key', () => {
    expect(hashTagOf('{bw}:')).toBe('bw');
    expect(hashTagOf('app:{bw}:')).toBe('bw');
    expect(hashTagOf('{a}{b}:')).toBe('a');
    expect(hashTagOf('{{bw}}:')).toBe('{bw');
  });

  it('finds none when Redis would hash the whole key', () => {
    expect(hashTagOf('')).toBeNull();
    expect(hashTagOf('bw:')).toBeNull();
    expect(hashTagOf('{}bw:')).toBeNull();
    expect(hashTagOf('{}{bw}:')).toBeNull();
    // The closing brace would have to come from the key's own part (a service name): not a tag for all keys.
    expect(hashTagOf('bw:{')).toBeNull();
    expect(hashTagOf('}bw{')).toBeNull();
  });
});

describe('requireClusterHashTag', () => {
  it('lets a tagged prefix through', () => {
    expect(() => requireClusterHashTag('RedisQueueStore', '{bw}:')).not.toThrow();
  });

  it('refuses anything else, naming the store and the prefix to pass', () => {
    expect(() => requireClusterHashTag('RedisQueueStore', '')).toThrow(
      `RedisQueueStore on a Redis Cluster needs a "keyPrefix" with a hash tag, so that all its keys are in one slot: pass keyPrefix: '{bw}:' (got no prefix)`,
    );
    expect(() => requireClusterHashTag('RedisCircuitBreakerStore', 'myapp:')).toThrow("pass keyPrefix: '{myapp}:' (got 'myapp:')");
    expect(() => requireClusterHashTag('RedisQueueStore', 'prod:bw:')).toThrow("pass keyPrefix: '{prod:bw}:'");
    expect(() => requireClusterHashTag('RedisQueueStore', '{}bw:')).toThrow("pass keyPrefix: '{bw}:'");
  });
});
