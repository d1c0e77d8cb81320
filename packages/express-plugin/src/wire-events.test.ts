import { StoreError } from '@breakwater/core';
import { describe, expect, it } from 'vitest';
import { toWireEvent } from './wire-events.js';

describe('toWireEvent', () => {
  it("sends a store failure in the words an HTTP answer would use, never the driver's message", () => {
    const cause = new Error('connect ECONNREFUSED 10.0.0.7:6379 (user bw, password hunter2)');
    const wire = toWireEvent('store:error', {
      error: new StoreError('CircuitBreakerStore', 'recordFailure', cause),
      during: 'execute:recordFailure',
      service: 'apollo',
    });
    expect(wire).toEqual({
      during: 'execute:recordFailure',
      service: 'apollo',
      error: 'Storage unavailable (CircuitBreakerStore.recordFailure failed); try again shortly',
    });
    expect(JSON.stringify(wire)).not.toContain('hunter2');
  });

  it('sends an error of unknown origin as an internal error', () => {
    const wire = toWireEvent('store:error', { error: new Error('10.0.0.7 refused'), during: 'execute:recordSuccess', service: 'apollo' });
    expect(wire).toMatchObject({ error: 'Internal server error' });
  });
});
