import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { BREAKWATER_EVENT_NAMES, type Breakwater } from '@breakwater/core';
import type { QueueManagementRouterOptions } from '@breakwater/express-plugin';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type EventStreamClient, openEventStream } from './event-stream-client.js';
import { createTestBreakwater, seedRunningCampaigns } from './in-memory-breakwater.js';
import { MOUNT, createTestApp } from './test-app.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(options: Omit<QueueManagementRouterOptions, 'breakwater'>) {
  const test = createTestBreakwater();
  const { bw } = test;
  cleanups.push(() => bw.close());
  const server: Server = await new Promise((resolve) => {
    const listening = createTestApp({ ...options, breakwater: bw }).listen(0, '127.0.0.1', () => resolve(listening));
  });
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanups.push(() => server.closeAllConnections());
  const { port } = server.address() as AddressInfo;
  return { ...test, url: `http://127.0.0.1:${port}${MOUNT}/events` };
}

async function stream(url: string, headers?: Record<string, string>): Promise<EventStreamClient> {
  const client = await openEventStream(url, headers);
  cleanups.push(() => client.close());
  return client;
}

function totalListeners(bw: Breakwater): number {
  return BREAKWATER_EVENT_NAMES.reduce((sum, name) => sum + bw.events.listenerCount(name), 0);
}

describe('GET /events', () => {
  it('streams Breakwater events in their snake_case wire form', async () => {
    const { bw, repository, url } = await serve({ allowUnauthenticated: true });
    await seedRunningCampaigns(repository);
    const client = await stream(url);
    expect(client.response.statusCode).toBe(200);
    expect(client.response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    expect(client.response.headers['cache-control']).toBe('no-cache, no-transform');
    await client.next((frame) => frame.comment === 'connected');

    await bw.breakers.trip('apollo', 'HTTP 503');
    const opened = JSON.parse((await client.next((frame) => frame.event === 'breaker:opened')).data!);
    expect(opened).toMatchObject({
      service: 'apollo',
      reason: 'HTTP 503',
      remote: false,
      record: { state: 'open', last_failure_reason: 'HTTP 503', trip_count: 1 },
    });
    const paused = JSON.parse((await client.next((frame) => frame.event === 'service:paused')).data!);
    expect(paused).toMatchObject({ service: 'apollo', campaigns_paused: 2, remote: false });

    await bw.breakers.reset('apollo');
    await bw.resumeQueue({ requestedBy: 'carol' });
    const completed = JSON.parse((await client.next((frame) => frame.event === 'resume:completed')).data!);
    expect(completed.report).toMatchObject({ queue_resumed: true, campaigns_resumed: 2, requested_by: 'carol' });
    const events = client.frames.map((frame) => frame.event).filter(Boolean);
    expect(events).toEqual(expect.arrayContaining(['breaker:reset', 'resume:requested', 'service:resumed', 'campaign:resumed']));
  });

  it('sends heartbeat comments', async () => {
    const { url } = await serve({ allowUnauthenticated: true, heartbeatIntervalMs: 10 });
    const client = await stream(url);
    const heartbeat = await client.next((frame) => frame.comment === 'heartbeat');
    expect(heartbeat.event).toBeNull();
  });

  it('removes its listeners when the client disconnects', async () => {
    const { bw, url } = await serve({ allowUnauthenticated: true });
    const before = totalListeners(bw);
    const clients = [await stream(url), await stream(url)];
    await Promise.all(clients.map((client) => client.next((frame) => frame.comment === 'connected')));
    expect(totalListeners(bw)).toBe(before + 2 * BREAKWATER_EVENT_NAMES.length);

    clients[0]!.close();
    await vi.waitFor(() => expect(totalListeners(bw)).toBe(before + BREAKWATER_EVENT_NAMES.length));
    clients[1]!.close();
    await vi.waitFor(() => expect(totalListeners(bw)).toBe(before));
  });

  it('is behind authorize("view")', async () => {
    const { bw, url } = await serve({ authorize: (_req, action) => action !== 'view' });
    const before = totalListeners(bw);
    const client = await stream(url);
    expect(client.response.statusCode).toBe(403);
    expect(totalListeners(bw)).toBe(before);
  });
});
