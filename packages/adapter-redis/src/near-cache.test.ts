import { describe, expect, it } from 'vitest';
import { NearCache } from './near-cache.js';

function cacheWithClock(maxAgeMs: number) {
  const clock = { now: 0 };
  const cache = new NearCache<string>(maxAgeMs, () => clock.now);
  return { cache, clock };
}

describe('NearCache', () => {
  it('serves nothing until the subscriber is connected', () => {
    const { cache } = cacheWithClock(1_000);
    cache.store('apollo', 'closed', cache.ticket());
    expect(cache.fresh('apollo')).toBeUndefined();
    expect(cache.lastKnown('apollo')).toBe('closed');
  });

  it('serves a value while it is younger than maxAgeMs, counted from when its read was sent', () => {
    const { cache, clock } = cacheWithClock(1_000);
    cache.markConnected();
    clock.now = 100;
    const ticket = cache.ticket();
    clock.now = 400; // the reply took 300 ms
    cache.store('apollo', 'closed', ticket);
    clock.now = 1_099;
    expect(cache.fresh('apollo')).toBe('closed');
    clock.now = 1_100;
    expect(cache.fresh('apollo')).toBeUndefined();
    expect(cache.lastKnown('apollo')).toBe('closed');
  });

  it('an invalidation drops the value, and a reply to a read sent before it is not served', () => {
    const { cache } = cacheWithClock(1_000);
    cache.markConnected();
    cache.store('apollo', 'closed', cache.ticket());
    const before = cache.ticket();
    cache.invalidate('apollo');
    expect(cache.fresh('apollo')).toBeUndefined();
    cache.store('apollo', 'stale reply', before);
    expect(cache.fresh('apollo')).toBeUndefined();
    cache.store('apollo', 'open', cache.ticket());
    expect(cache.fresh('apollo')).toBe('open');
  });

  it('invalidating one key leaves the others fresh', () => {
    const { cache } = cacheWithClock(1_000);
    cache.markConnected();
    const ticket = cache.ticket();
    cache.store('apollo', 'a', ticket);
    cache.store('openai', 'o', ticket);
    cache.invalidate('apollo');
    expect(cache.fresh('apollo')).toBeUndefined();
    expect(cache.fresh('openai')).toBe('o');
  });

  it('a disconnection makes everything stale, and reads sent before the reconnection stay unserved', () => {
    const { cache } = cacheWithClock(1_000);
    cache.markConnected();
    cache.store('apollo', 'closed', cache.ticket());
    const during = cache.ticket();
    cache.markDisconnected();
    expect(cache.fresh('apollo')).toBeUndefined();
    cache.markConnected();
    expect(cache.fresh('apollo')).toBeUndefined();
    cache.store('apollo', 'read while disconnected', during);
    expect(cache.fresh('apollo')).toBeUndefined();
    expect(cache.lastKnown('apollo')).toBe('read while disconnected');
    cache.store('apollo', 'open', cache.ticket());
    expect(cache.fresh('apollo')).toBe('open');
  });

  it('a stale reply never replaces a fresh value', () => {
    const { cache } = cacheWithClock(1_000);
    cache.markConnected();
    const old = cache.ticket();
    cache.invalidate('apollo');
    cache.store('apollo', 'new', cache.ticket());
    cache.store('apollo', 'old', old);
    expect(cache.fresh('apollo')).toBe('new');
    expect(cache.lastKnown('apollo')).toBe('new');
  });

  it('maxAgeMs 0 turns it off', () => {
    const { cache } = cacheWithClock(0);
    cache.markConnected();
    cache.store('apollo', 'closed', cache.ticket());
    expect(cache.fresh('apollo')).toBeUndefined();
    expect(cache.lastKnown('apollo')).toBe('closed');
  });

  it('a view taken before anything is stored answers as `fresh` does through stores, invalidations, ageing and reconnections', () => {
    const { cache, clock } = cacheWithClock(1_000);
    const apollo = cache.view('apollo');
    expect(apollo()).toBeUndefined();
    cache.markConnected();
    cache.store('apollo', 'closed', cache.ticket());
    cache.store('openai', 'open', cache.ticket());
    expect(apollo()).toBe('closed');
    cache.invalidate('apollo');
    expect(apollo()).toBeUndefined();
    cache.store('apollo', 'open', cache.ticket());
    expect(apollo()).toBe('open');
    // Aged with the reading it is handed, not its own clock.
    expect(apollo(() => 1_000)).toBeUndefined();
    cache.markDisconnected();
    expect(apollo()).toBeUndefined();
    cache.markConnected();
    clock.now = 5;
    cache.store('apollo', 'half_open', cache.ticket());
    expect([apollo(), cache.fresh('apollo'), cache.view('apollo')()]).toEqual(['half_open', 'half_open', 'half_open']);
    expect(cache.view('perplexity')()).toBeUndefined();
    expect(cache.lastKnown('perplexity')).toBeUndefined();
  });
});
