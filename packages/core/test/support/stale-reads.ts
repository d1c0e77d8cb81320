/**
 * Wraps a store so that, once `isStale()` turns true, its reads answer with the state from before a trip
 * (breaker closed, queue ACTIVE), as a near-cache that missed the trip may: the local view and the server
 * read alike. Only the pause epoch, checked right before a handler starts, can then stop a job.
 */
import { type QueueState, closedRecord } from '@breakwater/core';

const BEFORE_TRIP = {
  breaker: {
    view: null,
    read: 'get',
    answer: async (service: unknown) => closedRecord(String(service), Date.now()),
  },
  queue: {
    view: 'ACTIVE',
    read: 'getStates',
    answer: async (services: unknown): Promise<QueueState[]> =>
      (services as string[]).map((service) => ({ service, state: 'ACTIVE', reason: null, updatedAt: null })),
  },
} as const;

interface LocalView {
  peek(now: () => number): unknown;
}

export function withStaleReads<T extends object>(
  store: T,
  kind: keyof typeof BEFORE_TRIP,
  isStale: () => boolean,
  options: { localView: boolean } = { localView: true },
): T {
  const before = BEFORE_TRIP[kind];
  return new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'localView') {
        // Without its local view, the engine's check awaits the server read below.
        if (!options.localView || typeof value !== 'function') return undefined;
        return (service: string) => {
          const view = (value as (service: string) => LocalView).call(target, service);
          return { peek: (now: () => number) => (isStale() ? before.view : view.peek(now)) };
        };
      }
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => (isStale() && property === before.read ? before.answer(args[0]) : value.apply(target, args));
    },
  });
}
