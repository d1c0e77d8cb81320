import {
  InMemoryCampaignRepository,
  InMemoryCircuitBreakerStore,
  InMemoryQueueStore,
  InvalidOptionsError,
  createBreakwater,
} from '@breakwater/core';
import type { BreakwaterOptions } from '@breakwater/core';
import { describe, expect, it } from 'vitest';

const stores = () => ({
  breakerStore: new InMemoryCircuitBreakerStore(),
  queueStore: new InMemoryQueueStore(),
  campaigns: new InMemoryCampaignRepository(),
});

function attempt(options: unknown): unknown {
  try {
    createBreakwater(options as BreakwaterOptions);
  } catch (error) {
    return error;
  }
  return null;
}

describe('createBreakwater options', () => {
  it('names a missing option', () => {
    const error = attempt({ ...stores() });
    expect(error).toBeInstanceOf(InvalidOptionsError);
    expect((error as Error).message).toBe('Missing required option "services"');
  });

  it('names a malformed option and its path', () => {
    expect((attempt({ ...stores(), services: ['apollo'], policy: { failureThreshold: 0 } }) as Error).message).toMatch(
      /^Invalid option "policy.failureThreshold": /,
    );
    expect((attempt({ ...stores(), services: ['apollo', 'apollo'] }) as Error).message).toBe(
      'Invalid option "services": must not name a service twice',
    );
    expect((attempt({ ...stores(), services: ['apollo'], campaigns: {} }) as Error).message).toMatch(
      /^Invalid option "campaigns": must be a CampaignRepository/,
    );
    expect((attempt({ ...stores(), services: ['apollo'], pauseScope: 'some' }) as Error).message).toMatch(/^Invalid option "pauseScope"/);
    expect((attempt({ ...stores(), services: ['apollo'], polcy: {} }) as Error).message).toBe('Unknown option "polcy"');
  });

  it('fills the policy defaults and keeps the service order', () => {
    const bw = createBreakwater({ ...stores(), services: ['openai', 'apollo'], policy: { failureThreshold: 7 } });
    expect(bw.services).toEqual(['openai', 'apollo']);
    expect(bw.policy).toEqual({ failureThreshold: 7, resetTimeoutMs: 60_000, halfOpenMaxProbes: 1, successThreshold: 1 });
    const explicitUndefined = createBreakwater({
      ...stores(),
      services: ['apollo'],
      policy: { failureThreshold: undefined, resetTimeoutMs: 5 },
    });
    expect(explicitUndefined.policy).toMatchObject({ failureThreshold: 5, resetTimeoutMs: 5 });
  });
});
