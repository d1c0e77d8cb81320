import express from 'express';
import { queueManagementRouter } from '@breakwater/express-plugin';
import { describe, expect, it } from 'vitest';
import { createTestBreakwater } from './in-memory-breakwater.js';

describe('the Express the suites in test/ run against', () => {
  it('is Express 5, in the router too', () => {
    // Express 5 removed `express.query`; the router's prototype shows which Express built it.
    expect((express as unknown as Record<string, unknown>).query).toBeUndefined();
    const router = queueManagementRouter({ breakwater: createTestBreakwater().bw, allowUnauthenticated: true });
    // Express 5's routers are instances of its Router (Express 4's are plain functions with its proto).
    expect(router).toBeInstanceOf(express.Router);
  });
});
