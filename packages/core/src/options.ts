/** createBreakwater's options, validated once at the boundary with messages that name the option. */
import { z } from 'zod';
import { InvalidOptionsError } from './errors.js';
import type { Logger } from './logger.js';
import type { OpenTelemetryApi } from './tracing/open-telemetry.js';
import type { BreakerPolicy } from './policy.js';
import { DEFAULT_POLICY } from './policy.js';
import {
  BREAKER_STORE_METHODS,
  HISTORY_STORE_METHODS,
  QUEUE_STORE_METHODS,
  REQUIRED_REPOSITORY_METHODS,
  WORKER_REGISTRY_METHODS,
} from './port-methods.js';
import type { CampaignRepository, CircuitBreakerStore, HistoryStore, QueueStore, WorkerRegistry } from './ports.js';

export interface BreakwaterOptions<S extends string = string> {
  /**
   * The third-party services, in the order every report and message uses. Their names, when written out here
   * (or in an `as const` array), become the instance's type: `Breakwater<'apollo' | 'openai'>`.
   */
  services: readonly S[];
  breakerStore: CircuitBreakerStore;
  queueStore: QueueStore;
  /**
   * Where campaigns and jobs live. Optional: without one, breakers, queue states, the resume of the queues,
   * the HTTP API and the dashboard work, and there are no campaigns, jobs or workers (see without-campaigns.ts).
   */
  campaigns?: CampaignRepository;
  policy?: Partial<BreakerPolicy>;
  /** Which RUNNING campaigns a trip pauses: all (default) or only those with unfinished jobs on the service. */
  pauseScope?: 'all' | 'affected';
  logger?: Logger;
  /** ms since the epoch; defaults to Date.now. */
  clock?: () => number;
  /** TTL of the resume lock, renewed while a resume runs. Default 30000. */
  resumeLockTtlMs?: number;
  /** Campaigns resumed per repository call. Default 1000. */
  resumeBatchSize?: number;
  /**
   * Longest a resume waits on any one store call before it fails with `ResumeStalledError` and releases the
   * resume lock. Default 60000.
   */
  resumeStallTimeoutMs?: number;
  /**
   * How often this instance checks for pauses a fault left half-done (and completes them): one repository
   * query a check. Default 5000; 0 turns the timer off (`reconcile()` still runs a check on demand).
   */
  reconcileIntervalMs?: number;
  /** Where the durable history is kept (shared by every process); without one, nothing is recorded. */
  history?: HistoryStore;
  /** How long history entries are kept, ms. Default 30 days. */
  historyRetentionMs?: number;
  /** Where workers send their heartbeats (shared by every process); without one, `status()` lists no workers. */
  workers?: WorkerRegistry;
  /** How often each worker sends a heartbeat; one silent for three intervals counts as gone. Default 5000. */
  workerHeartbeatIntervalMs?: number;
  /**
   * OpenTelemetry spans, when the host has `@opentelemetry/api` (an optional peer dependency): for `resumeQueue`
   * and each of its steps, every pause cascade and every worker job; `execute: true` adds one per
   * `breakers.execute` call. Default `true`: loaded in the background at start (nothing is loaded when it is
   * absent; operations in the first moments, before it has loaded, are not traced). `api`: the host's
   * `import * as api from '@opentelemetry/api'`, used from the first operation. `false` never loads it.
   */
  tracing?: boolean | { execute?: boolean; api?: OpenTelemetryApi };
  /**
   * Direct handoff: a job enqueued through `bw.campaigns` while a worker of its service in this process has a free
   * slot is claimed for that worker by the enqueue statement itself, under the claim's own conditions, and starts
   * without a notification or a claim in between. Default true; false enqueues every job PENDING for a claim.
   */
  jobHandoff?: boolean;
}

/** An object with these methods (duck-typed: adapters are classes from other packages). */
function port<T>(name: string, methods: readonly string[]) {
  return z.custom<T>(
    (value) =>
      typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function'),
    { message: `must be a ${name} (an object with ${methods.join(', ')})` },
  );
}

const positiveInt = z.number().int().positive();
const duration = z.number().int().nonnegative();

const optionsSchema = z
  .object({
    services: z
      .array(z.string().min(1, 'a service name must not be empty'))
      .min(1, 'must name at least one service')
      .refine((services) => new Set(services).size === services.length, 'must not name a service twice'),
    breakerStore: port<CircuitBreakerStore>('CircuitBreakerStore', BREAKER_STORE_METHODS),
    queueStore: port<QueueStore>('QueueStore', QUEUE_STORE_METHODS),
    campaigns: port<CampaignRepository>('CampaignRepository', REQUIRED_REPOSITORY_METHODS).optional(),
    policy: z
      .object({
        failureThreshold: positiveInt.optional(),
        resetTimeoutMs: duration.optional(),
        halfOpenMaxProbes: positiveInt.optional(),
        successThreshold: positiveInt.optional(),
        failureRate: z
          .object({ threshold: z.number().gt(0).lte(1), minimumRequests: positiveInt, windowMs: positiveInt })
          .strict()
          .optional(),
      })
      .strict()
      .optional(),
    pauseScope: z.enum(['all', 'affected']).optional(),
    logger: port<Logger>('Logger', ['info', 'warn', 'error', 'debug']).optional(),
    clock: z
      .custom<() => number>((value) => typeof value === 'function', { message: 'must be a function returning ms since the epoch' })
      .optional(),
    resumeLockTtlMs: positiveInt.optional(),
    resumeBatchSize: positiveInt.optional(),
    resumeStallTimeoutMs: positiveInt.optional(),
    reconcileIntervalMs: duration.optional(),
    history: port<HistoryStore>('HistoryStore', HISTORY_STORE_METHODS).optional(),
    historyRetentionMs: positiveInt.optional(),
    workers: port<WorkerRegistry>('WorkerRegistry', WORKER_REGISTRY_METHODS).optional(),
    workerHeartbeatIntervalMs: positiveInt.optional(),
    jobHandoff: z.boolean().optional(),
    tracing: z
      .union([
        z.boolean(),
        z
          .object({
            execute: z.boolean().optional(),
            api: z
              .custom<OpenTelemetryApi>(
                (value) => typeof (value as { trace?: { getTracer?: unknown } } | null)?.trace?.getTracer === 'function',
                { message: 'must be the @opentelemetry/api module' },
              )
              .optional(),
          })
          .strict(),
      ])
      .optional(),
  })
  .strict();

export interface ResolvedOptions extends Omit<BreakwaterOptions, 'policy'> {
  policy: BreakerPolicy;
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') {
    const prefix = path ? `${path}.` : '';
    return `Unknown option ${issue.keys.map((key) => `"${prefix}${key}"`).join(', ')}`;
  }
  let value: unknown = input;
  for (const key of issue.path) value = (value as Record<PropertyKey, unknown> | undefined)?.[key as PropertyKey];
  if (value === undefined) return `Missing required option "${path}"`;
  return `Invalid option "${path}": ${issue.message}`;
}

export function resolveOptions(input: unknown): ResolvedOptions {
  if (typeof input !== 'object' || input === null) throw new InvalidOptionsError('createBreakwater needs an options object');
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new InvalidOptionsError(parsed.error.issues.map((issue) => describeIssue(issue, input)).join('; '), { cause: parsed.error });
  }
  const { policy, ...rest } = parsed.data;
  // An option given as undefined means "use the default", as if it were left out.
  const given = Object.fromEntries(Object.entries(policy ?? {}).filter(([, value]) => value !== undefined));
  return { ...rest, policy: { ...DEFAULT_POLICY, ...given } as BreakerPolicy };
}
