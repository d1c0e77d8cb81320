import express from 'express';
import express4 from 'express4';
import { queueManagementRouter } from '@breakwater/express-plugin';
import { describe, expect, it, vi } from 'vitest';
import { createTestBreakwater } from '../in-memory-breakwater.js';

vi.mock('express', async () => await import('express4'));

describe('the Express the suites in test/express4/ run against', () => {
  it('is Express 4, in the router too', () => {
    expect(express).toBe(express4);
    expect(typeof (express as unknown as Record<string, unknown>).query).toBe('function');
    const router = queueManagementRouter({ breakwater: createTestBreakwater().bw, allowUnauthenticated: true });
    expect(Object.getPrototypeOf(router)).toBe(Object.getPrototypeOf(express4.Router()));
  });
});
