import { isBreakwaterError } from '@breakwater/core';
import type { RedisClient } from './redis-client.js';
import { ReplyDeadlines } from './reply-deadlines.js';

/**
 * Runs a store operation on the host's client so that it never hangs: ioredis queues commands while it
 * is offline and replays them on reconnect, so an operation first waits (at most `timeoutMs`) for the
 * client to be ready — a command is never left in the offline queue to run minutes later — and then
 * waits at most what is left of `timeoutMs` for the reply. A failure comes out as the driver's own error, or
 * as an Error saying Redis did not answer in time; none is wrapped here. Core's port guard, the one owner of
 * `StoreError`, wraps it with the port and method: `CircuitBreakerStore.recordFailure failed: …`.
 *
 * Once Redis is known to be unreachable (an operation waited the whole `timeoutMs` for the client to be
 * ready), every operation fails at once until the client is ready again: ioredis keeps reconnecting in the
 * background, which is the probe, so an outage costs one wait, not one per call (with `failOpen`, a call's
 * permit and its recorded outcome would otherwise cost two).
 *
 * A timed-out command that had reached the server may still be applied (ioredis resends unanswered
 * commands after a reconnect): the caller's error means "unknown", not "not done". The stores report
 * such a write's announcement to their own subscribers (see change-origin.ts).
 */
export class BoundedRedis {
  private readyWaiter: Promise<void> | null = null;
  /** When an operation last found Redis unreachable, until the client is ready again. */
  private unreachableSince: number | null = null;
  private readonly noReply: string;
  private readonly replyDeadlines: ReplyDeadlines;

  constructor(
    readonly redis: RedisClient,
    private readonly timeoutMs: number,
  ) {
    redis.on('ready', () => {
      this.unreachableSince = null;
    });
    this.noReply = `no reply from Redis within ${timeoutMs} ms`;
    this.replyDeadlines = new ReplyDeadlines(timeoutMs);
  }

  run<T>(send: (redis: RedisClient) => Promise<T>): Promise<T> {
    // The common case, connected with the whole timeout left for the reply: not an async function, and one promise
    // for the reply and its deadline (this runs on every failure a breaker records).
    if (this.redis.status === 'ready' || this.redis.status === 'wait') {
      return this.replyDeadlines.bound(() => send(this.redis), this.noReply, this.noteFailure);
    }
    return this.runOnceReady(send);
  }

  private async runOnceReady<T>(send: (redis: RedisClient) => Promise<T>): Promise<T> {
    try {
      const startedAt = Date.now();
      if (this.unreachableSince !== null) {
        throw new Error(
          `Redis unreachable for ${startedAt - this.unreachableSince} ms (status: ${this.redis.status}); failing at once until it is back`,
        );
      }
      await this.untilReady();
      const remainingMs = Math.max(1, this.timeoutMs - (Date.now() - startedAt));
      return await bounded(send(this.redis), remainingMs, this.noReply);
    } catch (error) {
      this.noteFailure(error);
      throw error;
    }
  }

  /** An operation failed: with the connection gone, the next operations need not wait to learn it again. */
  private readonly noteFailure = (error: unknown): void => {
    // What the store itself decided (its state is lost, …) says nothing about the connection.
    if (isBreakwaterError(error)) return;
    if (this.redis.status !== 'ready' && this.redis.status !== 'wait') this.unreachableSince ??= Date.now();
  };

  private untilReady(): Promise<void> {
    if (this.redis.status === 'end') return Promise.reject(new Error('the Redis connection is closed'));
    // One listener for all waiting operations, however many there are.
    this.readyWaiter ??= new Promise<void>((resolve) => {
      this.redis.once('ready', () => {
        this.readyWaiter = null;
        resolve();
      });
    });
    return bounded(
      this.readyWaiter,
      this.timeoutMs,
      `Redis not reachable within ${this.timeoutMs} ms (status: ${this.redis.status})`,
    ).catch((error: unknown) => {
      this.unreachableSince ??= Date.now();
      throw error;
    });
  }
}

function bounded<T>(promise: Promise<T>, timeoutMs: number, message: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message)), timeoutMs);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
