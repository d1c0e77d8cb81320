/**
 * The app's settings, read once from the environment and checked with zod, so a typo in
 * `PORT` or a malformed `DATABASE_URL` stops the app at start with a message naming the variable.
 */
import { InvalidOptionsError } from '@breakwater/core';
import { z } from 'zod';
import { LOG_LEVELS, type LogLevel } from './console-logger.js';

export interface AppConfig {
  port: number;
  host: string;
  /** PostgreSQL for campaigns and jobs; in-memory when absent. */
  databaseUrl: string | null;
  /** Schema the app's tables live in (created if missing); the connection's default when null. */
  databaseSchema: string | null;
  /** Redis for breakers, queue states and the resume lock; in-memory when absent. */
  redisUrl: string | null;
  redisKeyPrefix: string;
  /** When set, state-changing requests need `Authorization: Bearer <token>`. */
  apiToken: string | null;
  logLevel: LogLevel;
  /** Simulated third-party latency, ms: each call takes between min and max. */
  serviceLatencyMs: { min: number; max: number };
  workerConcurrency: number;
  workerPollIntervalMs: number;
  /** First retry delay of a failed job, ms; doubles per attempt. */
  retryBackoffMs: number;
  failureThreshold: number;
  /** How long an open breaker waits before a probe may go through, ms. */
  breakerResetTimeoutMs: number;
  /** Campaigns `npm start` seeds into an empty store, and the leads each works on. */
  seedCampaigns: number;
  seedLeads: number;
}

const emptyAsUndefined = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

/** The default sits inside the preprocess: an empty variable becomes undefined there, and then takes it. */
const integer = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce
      .number({ error: 'must be a number' })
      .int(`must be a whole number between ${min} and ${max}`)
      .min(min, `must be a whole number between ${min} and ${max}`)
      .max(max, `must be a whole number between ${min} and ${max}`)
      .default(fallback),
  );

const urlWithProtocol = (protocols: readonly string[], example: string) =>
  z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => URL.canParse(value) && protocols.includes(new URL(value).protocol), `must be a URL like ${example}`)
      .optional(),
  );

const envSchema = z.object({
  PORT: integer(0, 65_535, 3000),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('127.0.0.1')),
  DATABASE_URL: urlWithProtocol(['postgres:', 'postgresql:'], 'postgres://user:password@localhost:5432/outreach'),
  DATABASE_SCHEMA: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'must be a lower-case SQL identifier (letters, digits, underscores)')
      .optional(),
  ),
  REDIS_URL: urlWithProtocol(['redis:', 'rediss:'], 'redis://localhost:6379'),
  REDIS_KEY_PREFIX: z.preprocess(emptyAsUndefined, z.string().default('')),
  BREAKWATER_API_TOKEN: z.preprocess(emptyAsUndefined, z.string().min(16, 'must be at least 16 characters long').optional()),
  LOG_LEVEL: z.preprocess(emptyAsUndefined, z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).default('info')),
  SIMULATED_LATENCY_MIN_MS: integer(0, 60_000, 300),
  SIMULATED_LATENCY_MAX_MS: integer(0, 60_000, 900),
  WORKER_CONCURRENCY: integer(1, 100, 2),
  WORKER_POLL_INTERVAL_MS: integer(1, 60_000, 1000),
  RETRY_BACKOFF_MS: integer(1, 60_000, 1000),
  FAILURE_THRESHOLD: integer(1, 1000, 5),
  BREAKER_RESET_TIMEOUT_MS: integer(0, 86_400_000, 60_000),
  SEED_CAMPAIGNS: integer(0, 1000, 3),
  SEED_LEADS: integer(1, 100, 20),
});

export type Env = Record<string, string | undefined>;

/** Reads the settings; throws `InvalidOptionsError` listing every bad variable at once. */
export function loadConfig(env: Env = process.env): AppConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `  ${name} ${issue.message} (got ${describeValue(name, env[name])})`;
    });
    throw new InvalidOptionsError(`Invalid environment:\n${problems.join('\n')}`, { cause: parsed.error });
  }
  const e = parsed.data;
  if (e.SIMULATED_LATENCY_MIN_MS > e.SIMULATED_LATENCY_MAX_MS) {
    throw new InvalidOptionsError(
      `Invalid environment:\n  SIMULATED_LATENCY_MIN_MS (${e.SIMULATED_LATENCY_MIN_MS}) must not exceed SIMULATED_LATENCY_MAX_MS (${e.SIMULATED_LATENCY_MAX_MS})`,
    );
  }
  if (e.DATABASE_SCHEMA && !e.DATABASE_URL) {
    throw new InvalidOptionsError('Invalid environment:\n  DATABASE_SCHEMA is set but DATABASE_URL is not');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL ?? null,
    databaseSchema: e.DATABASE_SCHEMA ?? null,
    redisUrl: e.REDIS_URL ?? null,
    redisKeyPrefix: e.REDIS_KEY_PREFIX,
    apiToken: e.BREAKWATER_API_TOKEN ?? null,
    logLevel: e.LOG_LEVEL as LogLevel,
    serviceLatencyMs: { min: e.SIMULATED_LATENCY_MIN_MS, max: e.SIMULATED_LATENCY_MAX_MS },
    workerConcurrency: e.WORKER_CONCURRENCY,
    workerPollIntervalMs: e.WORKER_POLL_INTERVAL_MS,
    retryBackoffMs: e.RETRY_BACKOFF_MS,
    failureThreshold: e.FAILURE_THRESHOLD,
    breakerResetTimeoutMs: e.BREAKER_RESET_TIMEOUT_MS,
    seedCampaigns: e.SEED_CAMPAIGNS,
    seedLeads: e.SEED_LEADS,
  };
}

/** The offending value for an error message, never a secret. */
function describeValue(name: string, value: string | undefined): string {
  if (value === undefined) return 'nothing';
  if (name === 'BREAKWATER_API_TOKEN') return `${value.length} characters`;
  return JSON.stringify(name.endsWith('_URL') ? redactUrl(value) : value);
}

/** A URL fit for a log line: the password masked. */
export function redactUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
