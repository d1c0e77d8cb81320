/**
 * `GET /events`: every Breakwater event as server-sent events, so the dashboard updates live.
 * Listeners and the heartbeat timer live exactly as long as the client's connection.
 */
import { BREAKWATER_EVENT_NAMES, type Breakwater, type BreakwaterEventName } from '@breakwater/core';
import type { RequestHandler } from 'express';
import { toWireEvent } from './wire-events.js';

/** A client this far behind is dropped; EventSource reconnects and the page refetches the status. */
const MAX_BUFFERED_BYTES = 1024 * 1024;
const RECONNECT_MS = 3000;

export function streamEvents(breakwater: Pick<Breakwater, 'events'>, heartbeatIntervalMs: number): RequestHandler {
  return (_req, res) => {
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      // nginx buffers proxied responses unless told not to.
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    res.write(`retry: ${RECONNECT_MS}\n: connected\n\n`);

    const send = (chunk: string) => {
      if (res.writableLength > MAX_BUFFERED_BYTES) {
        res.destroy();
        return;
      }
      res.write(chunk);
    };
    const listeners = BREAKWATER_EVENT_NAMES.map((name) => {
      const listener = (payload: unknown) => {
        send(`event: ${name}\ndata: ${JSON.stringify(toWireEvent(name, payload as never))}\n\n`);
      };
      breakwater.events.on(name, listener);
      return { name, listener };
    });
    const heartbeat = setInterval(() => send(': heartbeat\n\n'), heartbeatIntervalMs);

    res.on('close', () => {
      clearInterval(heartbeat);
      for (const { name, listener } of listeners) breakwater.events.off(name as BreakwaterEventName, listener);
    });
  };
}
