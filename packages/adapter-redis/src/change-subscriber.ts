import type { Redis } from 'ioredis';
import type { RedisClient } from './redis-client.js';
import { openSubscriberConnection } from './subscriber-connection.js';

export interface ChangeSubscriberOptions {
  /** The host's client; the subscriber runs on a connection of its own (see subscriber-connection.ts), never on it. */
  redis: RedisClient;
  channel: string;
  /** Shown by `CLIENT LIST`, so an operator can tell the subscriber connections apart. */
  connectionName: string;
  /** Subscribed: every change from now on will be delivered. */
  onConnected(): void;
  /** Connection lost: changes may be missed until `onConnected` again. */
  onDisconnected(): void;
  onMessage(message: string): void;
}

/** Waits between attempts to open a new connection after one ended for good: doubling from the first, up to the last. */
const REOPEN_DELAY_MS = { first: 50, max: 1_000 };

/**
 * One pub/sub subscription on its own connection. Resubscribes itself after every reconnect (ioredis'
 * autoResubscribe reports `ready` before the subscription is confirmed, so it is off), and reports
 * connected only once the server has confirmed the subscription. A connection that ends for good (ioredis
 * gave up on it, or its Cluster node is gone) is replaced by a new one.
 */
export class ChangeSubscriber {
  private connection: Redis | null = null;
  private subscribed = false;
  private closed = false;
  private waiters: (() => void)[] = [];
  private reopenTimer: ReturnType<typeof setTimeout> | null = null;
  private reopenDelayMs = REOPEN_DELAY_MS.first;

  constructor(private readonly options: ChangeSubscriberOptions) {
    this.open();
  }

  /** Resolves once subscribed (at once if already). */
  whenSubscribed(): Promise<void> {
    if (this.subscribed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private open(): void {
    if (this.closed) return;
    const connection = openSubscriberConnection(this.options.redis, this.options.connectionName);
    if (!connection) {
      this.reopenLater();
      return;
    }
    this.connection = connection;
    const current = () => this.connection === connection && !this.closed;
    // Connection errors show up as close/reconnect; without a listener ioredis would log each one.
    connection.on('error', () => {});
    connection.on('close', () => {
      if (!current()) return;
      this.subscribed = false;
      this.options.onDisconnected();
    });
    connection.on('end', () => {
      if (!current()) return;
      this.connection = null;
      this.reopenLater();
    });
    connection.on('ready', () => {
      if (current()) this.subscribe(connection);
    });
    connection.on('message', (channel: string, message: string) => {
      if (current() && channel === this.options.channel) this.options.onMessage(message);
    });
    if (connection.status === 'ready') this.subscribe(connection);
  }

  private reopenLater(): void {
    if (this.closed || this.reopenTimer !== null) return;
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      this.open();
    }, this.reopenDelayMs);
    this.reopenTimer.unref?.();
    this.reopenDelayMs = Math.min(this.reopenDelayMs * 2, REOPEN_DELAY_MS.max);
  }

  private subscribe(connection: Redis): void {
    connection.subscribe(this.options.channel).then(
      () => {
        if (this.closed || this.connection !== connection || connection.status !== 'ready') return;
        this.subscribed = true;
        this.reopenDelayMs = REOPEN_DELAY_MS.first;
        this.options.onConnected();
        for (const resolve of this.waiters.splice(0)) resolve();
      },
      // Lost again before the confirmation: the next `ready` (or the next connection) retries.
      () => {},
    );
  }

  /** Stops listening and closes the subscriber's own connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscribed = false;
    if (this.reopenTimer !== null) clearTimeout(this.reopenTimer);
    this.reopenTimer = null;
    this.options.onDisconnected();
    const connection = this.connection;
    this.connection = null;
    if (connection?.status === 'ready') {
      await connection.quit().catch(() => connection.disconnect());
    } else {
      connection?.disconnect();
    }
  }
}
