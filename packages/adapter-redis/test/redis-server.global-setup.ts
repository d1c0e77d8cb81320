/**
 * Finds the Redis the tests run against: REDIS_URL (default redis://127.0.0.1:6379) when it answers;
 * otherwise a throwaway container, but only when a Docker engine answers (testcontainers is imported
 * on that path only); otherwise the run stops with a message saying what to start.
 */
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    redisUrl: string;
  }
}

const DEFAULT_URL = 'redis://127.0.0.1:6379';

async function answers(url: string): Promise<boolean> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    return (await client.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    client.disconnect();
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const url = process.env.REDIS_URL ?? DEFAULT_URL;
  if (await answers(url)) {
    project.provide('redisUrl', url);
    return async () => {};
  }
  const { getContainerRuntimeClient } = await import('testcontainers');
  try {
    await getContainerRuntimeClient();
  } catch {
    throw new Error(`Redis does not answer at ${url} and no Docker engine is available: start Redis or set REDIS_URL.`);
  }
  const { RedisContainer } = await import('@testcontainers/redis');
  const container = await new RedisContainer('redis:7-alpine').start();
  project.provide('redisUrl', container.getConnectionUrl());
  return async () => {
    await container.stop();
  };
}
