/**
 * What both Redis stores share: the host's client behind an operation timeout, the key layout,
 * a near-cache fed by a pub/sub subscriber on a connection of the store's own, and the listeners
 * that hear other instances' changes.
 */
import type { Unsubscribe } from '@breakwater/core';
import { BoundedRedis } from './bounded-redis.js';
import { ChangeOrigin } from './change-origin.js';
import { ChangeSubscriber } from './change-subscriber.js';
import { type KeyLayout, keyLayout } from './key-layout.js';
import { NearCache } from './near-cache.js';
import { type RedisStoreOptions, databaseOf, resolveRedisStoreOptions } from './redis-store-options.js';

export interface SharedRedisStoreSetup {
  /** The class name, for option errors. */
  storeName: string;
  channel: (keys: KeyLayout) => string;
  /** Names the subscriber's connection (`CLIENT LIST`): `breakwater:<kind>:<instance id>`. */
  connectionKind: string;
}

export abstract class SharedRedisStore<Cached, Change> {
  protected readonly origin = new ChangeOrigin();
  protected readonly keys: KeyLayout;
  protected readonly bounded: BoundedRedis;
  protected readonly cache: NearCache<Cached>;
  protected readonly failOpen: boolean;
  private readonly subscriber: ChangeSubscriber;
  private readonly listeners = new Set<(change: Change) => void>();

  protected constructor(options: RedisStoreOptions, setup: SharedRedisStoreSetup) {
    const resolved = resolveRedisStoreOptions(setup.storeName, options);
    this.keys = keyLayout(resolved.keyPrefix, databaseOf(resolved.redis));
    this.bounded = new BoundedRedis(resolved.redis, resolved.operationTimeoutMs);
    this.cache = new NearCache(resolved.nearCacheMaxAgeMs);
    this.failOpen = resolved.failOpen;
    this.subscriber = new ChangeSubscriber({
      redis: resolved.redis,
      channel: setup.channel(this.keys),
      connectionName: `breakwater:${setup.connectionKind}:${this.instanceId}`,
      onConnected: () => this.cache.markConnected(),
      onDisconnected: () => {
        this.cache.markDisconnected();
        this.onDisconnected();
      },
      onMessage: (message) => this.onMessage(message),
    });
  }

  /** This store instance's id (in its announcements and its subscriber's connection name). */
  get instanceId(): string {
    return this.origin.instanceId;
  }

  /** Changes made through other store instances sharing this Redis and prefix. */
  subscribe(listener: (change: Change) => void): Unsubscribe {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  /**
   * Resolves once this store listens to the other instances' changes: from then on its near-cache
   * serves reads and `subscribe` listeners hear everything. Bounded by `operationTimeoutMs`.
   */
  async ready(): Promise<void> {
    await this.bounded.run(() => this.subscriber.whenSubscribed());
  }

  /** Unsubscribes and closes the subscriber's own connection; the host's client stays open. */
  async close(): Promise<void> {
    this.listeners.clear();
    await this.subscriber.close();
  }

  /** Hands a change to every listener. */
  protected announce(change: Change): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch {
        // A listener's failure must not cost the other listeners (or the subscription) their messages.
      }
    }
  }

  /** The subscriber lost its connection (the near-cache is already marked): announcements may have been missed. */
  protected onDisconnected(): void {}

  /** A message on the store's channel (its own announcements included: tell them apart by origin). */
  protected abstract onMessage(raw: string): void;
}
