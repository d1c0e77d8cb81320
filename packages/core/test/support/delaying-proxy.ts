/**
 * Wraps a store so every async method yields to the event loop a random number of times
 * before and after running, turning one scenario into many interleavings.
 */
export function withRandomDelays<T extends object>(store: T, random: () => number, maxTicks = 4): T {
  const pause = async () => {
    const ticks = Math.floor(random() * (maxTicks + 1));
    for (let i = 0; i < ticks; i += 1) await new Promise((resolve) => setImmediate(resolve));
  };
  return new Proxy(store, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || property === 'constructor') return value;
      // subscribe and the hot path (localView) are synchronous; bind them so private fields resolve on the real store.
      if (property === 'subscribe' || property === 'localView') return value.bind(target);
      return async (...args: unknown[]) => {
        await pause();
        const result = await (value as (...a: unknown[]) => unknown).apply(target, args);
        await pause();
        return result;
      };
    },
  });
}

/** A small deterministic PRNG (mulberry32), so a failing seed can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
