import type { Redis } from 'ioredis';

export interface ChangeSubscriberOptions {
  /** The host's client; the subscriber runs on `redis.duplicate()` of it, never on it. */
  redis: Redis;
  channel: string;
  /** Shown by `CLIENT LIST`, so an operator can tell the subscriber connections apart. */
  connectionName: string;
  /** Subscribed: every change from now on will be delivered. */
  onConnected(): void;
  /** Connection lost: changes may be missed until `onConnected` again. */
  onDisconnected(): void;
  onMessage(message: string): void;
}

/**
 * One pub/sub subscription on its own connection. Resubscribes itself after every reconnect (ioredis'
 * autoResubscribe reports `ready` before the subscription is confirmed, so it is off), and reports
 * connected only once the server has confirmed the subscription.
 */
export class ChangeSubscriber {
  private readonly connection: Redis;
  private subscribed = false;
  private closed = false;
  private waiters: (() => void)[] = [];

  constructor(private readonly options: ChangeSubscriberOptions) {
    this.connection = options.redis.duplicate({ autoResubscribe: false, lazyConnect: false, connectionName: options.connectionName });
    // Connection errors show up as close/reconnect; without a listener ioredis would log each one.
    this.connection.on('error', () => {});
    this.connection.on('close', () => {
      this.subscribed = false;
      options.onDisconnected();
    });
    this.connection.on('ready', () => {
      this.subscribe();
    });
    this.connection.on('message', (channel: string, message: string) => {
      if (channel === options.channel) options.onMessage(message);
    });
    if (this.connection.status === 'ready') this.subscribe();
  }

  /** Resolves once subscribed (at once if already). */
  whenSubscribed(): Promise<void> {
    if (this.subscribed) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private subscribe(): void {
    if (this.closed) return;
    this.connection.subscribe(this.options.channel).then(
      () => {
        if (this.closed || this.connection.status !== 'ready') return;
        this.subscribed = true;
        this.options.onConnected();
        for (const resolve of this.waiters.splice(0)) resolve();
      },
      // Lost again before the confirmation: the next `ready` retries.
      () => {},
    );
  }

  /** Stops listening and closes the subscriber's own connection. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.subscribed = false;
    this.options.onDisconnected();
    if (this.connection.status === 'ready') {
      await this.connection.quit().catch(() => this.connection.disconnect());
    } else {
      this.connection.disconnect();
    }
  }
}
