/** Clients and key prefixes for the tests: every test works under its own random prefix, and every client is closed after the file. */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import type { RedisOptions } from 'ioredis';
import { inject } from 'vitest';

/** The database the no-prefix tests own (they flush it first), apart from everything else. */
export const NO_PREFIX_DB = 9;

export function redisUrl(): string {
  return inject('redisUrl');
}

const prefixes: string[] = [];

/** A key prefix of the test's own; its keys are deleted by `closeAll`. */
export function randomPrefix(): string {
  const prefix = `bwtest:${randomUUID().slice(0, 8)}:`;
  prefixes.push(prefix);
  return prefix;
}

const opened: Redis[] = [];

export function connectRedis(options: RedisOptions = {}, url = redisUrl()): Redis {
  const client = new Redis(url, options);
  client.on('error', () => {});
  opened.push(client);
  return client;
}

const closers: (() => Promise<void>)[] = [];

/** Registers something (a store) to close after the file, before the clients go. */
export function closeLater<T extends { close(): Promise<void> }>(thing: T): T {
  closers.push(() => thing.close());
  return thing;
}

/** The ids of the connections with this client name (`CLIENT LIST`), e.g. a store's subscriber. */
export async function clientIdsNamed(redis: Redis, name: string): Promise<string[]> {
  const list = (await redis.call('CLIENT', 'LIST')) as string;
  return list
    .split('\n')
    .filter((line) => line.includes(` name=${name} `))
    .map((line) => /^id=(\d+)/.exec(line)?.[1] ?? '')
    .filter((id) => id !== '');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `condition` holds; false when `timeoutMs` passed first. */
export async function waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() >= deadline) return false;
    await sleep(5);
  }
  return true;
}

export async function closeAll(): Promise<void> {
  await Promise.all(closers.splice(0).map((close) => close()));
  await deleteKeysUnder(prefixes.splice(0));
  await Promise.all(opened.splice(0).map((client) => client.quit().catch(() => client.disconnect())));
}

async function deleteKeysUnder(used: readonly string[]): Promise<void> {
  if (used.length === 0) return;
  const client = new Redis(redisUrl());
  try {
    for (const prefix of used) {
      const keys: string[] = [];
      for await (const batch of client.scanStream({ match: `${prefix}*`, count: 1_000 })) keys.push(...(batch as string[]));
      if (keys.length > 0) await client.del(...keys);
    }
  } finally {
    await client.quit();
  }
}

/**
 * Sets stores up with nothing paused, as core does on first use (a store over a fresh prefix holds no
 * state and refuses to answer until then). Stores sharing a prefix share the setup.
 */
export async function setUpStores(...stores: { initialize(input: { services: string[]; paused: []; now: number }): Promise<boolean> }[]) {
  for (const store of stores) await store.initialize({ services: [], paused: [], now: Date.now() });
}
