/**
 * Service names are types: a misspelt one fails to compile wherever it is named, and a list known only at run
 * time keeps every string. Nothing here runs: `npm run typecheck` compiles it (tsconfig.json includes the tests),
 * and each `@ts-expect-error` fails that step if the error it expects is gone.
 */
import {
  type BreakerEvent,
  type Breakwater,
  type BreakwaterEvents,
  type BreakwaterOptions,
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  type Job,
  createBreakwater,
} from '@breakwater/core';
import type { EventEmitter } from 'eventemitter3';
import { describe, expectTypeOf, it } from 'vitest';

type Service = 'apollo' | 'openai';

const stores = (): Omit<BreakwaterOptions, 'services'> => ({
  breakerStore: new InMemoryCircuitBreakerStore(),
  queueStore: new InMemoryQueueStore(),
  campaigns: new InMemoryCampaignRepository(),
});
const call = async () => 'answer';
const handler = async (job: Job) => job.id;

describe('services written in the call', () => {
  const bw = createBreakwater({ services: ['apollo', 'openai'], ...stores() });

  it('are the type of the instance, without `as const`', () => {
    expectTypeOf(bw).toEqualTypeOf<Breakwater<Service>>();
    expectTypeOf(bw.services).toEqualTypeOf<readonly Service[]>();
    expectTypeOf(createBreakwater({ services: ['apollo', 'openai'] as const, ...stores() })).toEqualTypeOf<Breakwater<Service>>();
  });

  it('are the only names the breakers take', () => {
    void bw.breakers.execute('apollo', call);
    void bw.breakers.trip('openai', 'maintenance');
    void bw.breakers.reset('apollo');
    void bw.breakers.get('openai');
    // @ts-expect-error a typo
    void bw.breakers.execute('apolo', call);
    // @ts-expect-error a typo
    void bw.breakers.trip('apolo', 'maintenance');
    // @ts-expect-error a typo
    void bw.breakers.reset('apolo');
    // @ts-expect-error a typo
    void bw.breakers.get('apolo');
    // @ts-expect-error a typo
    void bw.breakers.shouldAllowRequest('apolo');
    // @ts-expect-error a typo
    void bw.breakers.recordFailure('apolo', { reason: 'HTTP 503' });
    // @ts-expect-error a typo
    void bw.breakers.recordSuccess('apolo');
  });

  it('are the only names a worker is made for', () => {
    expectTypeOf(bw.createWorker({ service: 'apollo', handler }).service).toEqualTypeOf<Service>();
    // @ts-expect-error a typo
    bw.createWorker({ service: 'apolo', handler });
    // @ts-expect-error a typo, also with the result type given
    bw.createWorker<string>({ service: 'apolo', handler });
  });

  it('are the only names jobs are enqueued and listed for', () => {
    void bw.campaigns.enqueueJob({ campaignId: '1', service: 'apollo' });
    void bw.campaigns.enqueueJobs([{ campaignId: '1', service: 'openai', payload: { lead: 7 } }]);
    void bw.campaigns.listJobs({ service: 'apollo', status: 'PAUSED' });
    void bw.campaigns.countJobsByStatus({ service: 'openai' });
    // @ts-expect-error a typo
    void bw.campaigns.enqueueJob({ campaignId: '1', service: 'apolo' });
    void bw.campaigns.enqueueJobs([
      { campaignId: '1', service: 'apollo' },
      // @ts-expect-error a typo in one job of the batch
      { campaignId: '1', service: 'apolo' },
    ]);
    // @ts-expect-error a typo
    void bw.campaigns.listJobs({ service: 'apolo' });
    // @ts-expect-error a typo
    void bw.campaigns.countJobsByStatus({ service: 'apolo' });
  });

  it('are what event listeners are given', () => {
    bw.events.on('breaker:opened', (event) => {
      expectTypeOf(event.service).toEqualTypeOf<Service>();
      expectTypeOf(event.record.service).toEqualTypeOf<Service>();
      // @ts-expect-error a typo: no service of the instance is called so
      if (event.service === 'apolo') return;
    });
    bw.events.on('service:paused', ({ service }) => expectTypeOf(service).toEqualTypeOf<Service>());
    bw.events.on('service:resumed', ({ service }) => expectTypeOf(service).toEqualTypeOf<Service>());
    bw.events.on('breaker:tripped', ({ service }) => expectTypeOf(service).toEqualTypeOf<Service>());
    bw.events.on('job:enqueued', ({ service }) => expectTypeOf(service).toEqualTypeOf<Service>());
    bw.events.on('resume:blocked', ({ blocked }) => expectTypeOf(blocked[0]!.service).toEqualTypeOf<Service>());
    bw.events.on('store:error', ({ service }) => expectTypeOf(service).toEqualTypeOf<Service | null>());
    const onApoloOpened = (event: { service: 'apolo' }) => void event;
    // @ts-expect-error a listener written for a service the instance does not have
    bw.events.on('breaker:opened', onApoloOpened);
  });

  it('are what reads give back, and what the history is asked for', async () => {
    expectTypeOf((await bw.breakers.get('apollo')).service).toEqualTypeOf<Service>();
    expectTypeOf((await bw.breakers.list())[0]!.service).toEqualTypeOf<Service>();
    const status = await bw.status();
    expectTypeOf(status.breakers[0]!.service).toEqualTypeOf<Service>();
    expectTypeOf(status.queues[0]!.service).toEqualTypeOf<Service>();
    expectTypeOf(status.blockedBy[0]!.service).toEqualTypeOf<Service>();
    expectTypeOf(bw.reconcile()).resolves.toEqualTypeOf<Service[]>();
    void bw.history({ service: 'apollo' });
    // @ts-expect-error a typo
    void bw.history({ service: 'apolo' });
  });

  it('still pass where any instance is taken', () => {
    const anyInstance: Breakwater = bw;
    const takesAny = (instance: Breakwater) => instance.services;
    takesAny(bw);
    const takesEmitter = (events: EventEmitter<BreakwaterEvents>) => events.eventNames();
    takesEmitter(bw.events);
    const onAnyOpened = (event: BreakerEvent) => void event.service;
    bw.events.on('breaker:opened', onAnyOpened);
    // Widened on purpose (a retired service's history), any name compiles again.
    void anyInstance.history({ service: 'perplexity' });
  });
});

describe('services known only at run time', () => {
  const fromConfig: string[] = (process.env.SERVICES ?? 'apollo').split(',');
  const bw = createBreakwater({ services: fromConfig, ...stores() });

  it('type the instance with string, so any name compiles (and is checked at run time)', () => {
    expectTypeOf(bw).toEqualTypeOf<Breakwater>();
    expectTypeOf(bw).toEqualTypeOf<Breakwater<string>>();
    void bw.breakers.execute('whatever-the-config-said', call);
    bw.createWorker({ service: fromConfig[0]!, handler });
    void bw.campaigns.enqueueJob({ campaignId: '1', service: 'any' });
    bw.events.on('breaker:opened', ({ service }) => expectTypeOf(service).toEqualTypeOf<string>());
  });

  it('include a list in a variable that was not declared `as const`', () => {
    const services = ['apollo', 'openai'];
    expectTypeOf(createBreakwater({ services, ...stores() })).toEqualTypeOf<Breakwater>();
    const named = ['apollo', 'openai'] as const;
    expectTypeOf(createBreakwater({ services: named, ...stores() })).toEqualTypeOf<Breakwater<Service>>();
  });
});
