import { InMemoryCircuitBreakerStore } from '@breakwater/core';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { closeTestBreakwaters, createTestBreakwater } from './in-memory-breakwater.js';
import { MOUNT, SAME_SITE, createTestApp } from './test-app.js';

afterEach(closeTestBreakwaters);

/** A breaker store whose server went away: it throws what a driver throws, and core wraps it in StoreError. */
class UnreachableBreakerStore extends InMemoryCircuitBreakerStore {
  override async list(): Promise<never> {
    throw new Error('connect ECONNREFUSED 10.1.2.3:6379');
  }
}

function recordingLogger() {
  const calls: { fields: Record<string, unknown>; message: string | undefined }[] = [];
  return { calls, error: (fields: Record<string, unknown>, message?: string) => calls.push({ fields, message }) };
}

describe('failures', () => {
  it('answer 503 with the envelope when a store fails, keeping the driver message in the log only', async () => {
    const test = createTestBreakwater({ overrides: { breakerStore: new UnreachableBreakerStore() } });
    const logger = recordingLogger();
    const app = createTestApp({ breakwater: test.bw, allowUnauthenticated: true, logger });

    for (const req of [request(app).get(`${MOUNT}/status`), request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE)]) {
      const res = await req;
      expect(res.status).toBe(503);
      expect(res.body).toEqual({ status: 'error', detail: 'Storage unavailable (CircuitBreakerStore.list failed); try again shortly' });
    }
    expect(logger.calls).toHaveLength(2);
    expect(String((logger.calls[0]?.fields.err as Error).message)).toContain('ECONNREFUSED');
  });

  it('answer 500 with the envelope for anything unexpected, never an HTML page', async () => {
    const test = createTestBreakwater();
    const broken = Object.create(test.bw, {
      status: {
        value: async () => {
          throw new TypeError("Cannot read properties of undefined (reading 'state')");
        },
      },
    });
    const logger = recordingLogger();
    const app = createTestApp({ breakwater: broken, allowUnauthenticated: true, logger });

    const res = await request(app).get(`${MOUNT}/status`);

    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toEqual({ status: 'error', detail: 'Internal server error' });
    expect(logger.calls).toHaveLength(1);
    expect(logger.calls[0]?.message).toBe(`Queue management request failed: GET ${MOUNT}/status`);
  });

  it("are not logged when they are the client's (4xx)", async () => {
    const test = createTestBreakwater();
    const logger = recordingLogger();
    const app = createTestApp({ breakwater: test.bw, allowUnauthenticated: true, logger });
    await test.bw.breakers.trip('apollo', 'down');
    expect((await request(app).post(`${MOUNT}/resume-queue`).set(SAME_SITE)).status).toBe(400);
    expect((await request(app).post(`${MOUNT}/circuit-breakers/x/reset`).set(SAME_SITE)).status).toBe(404);
    expect(logger.calls).toHaveLength(0);
  });
});
