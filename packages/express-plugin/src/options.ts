/** queueManagementRouter's options, validated once with zod; every message names the option. */
import { type Breakwater, InvalidOptionsError } from '@breakwater/core';
import type { Request } from 'express';
import { z } from 'zod';
import type { ErrorLogger } from './error-response.js';

/** What a request asks to do; `authorize(req, action)` decides per action. */
export type QueueAction = 'view' | 'resume' | 'reset' | 'trip';

export const QUEUE_ACTIONS = ['view', 'resume', 'reset', 'trip'] as const satisfies readonly QueueAction[];

/**
 * The part of a prom-client `Registry` the router uses. Typed structurally so the package never
 * imports prom-client (an optional peer): the gauges it registers are plain metric objects.
 */
export interface MetricsRegistry {
  registerMetric(metric: object): void;
  metrics(): Promise<string>;
  readonly contentType: string;
}

export interface QueueManagementRouterOptions {
  breakwater: Breakwater;
  /**
   * Decides whether the request may perform the action. Only `true` allows it: anything else
   * answers 403. Throwing answers 401 (throw when the caller is not authenticated at all).
   */
  authorize?: (req: Request, action: QueueAction) => boolean | Promise<boolean>;
  /** Who is asking, recorded as the resume report's `requestedBy`. Throwing answers 401. */
  identify?: (req: Request) => string | undefined;
  /** The only way to build the router without `authorize`: every route then answers anyone. */
  allowUnauthenticated?: true;
  /** A prom-client Registry: Breakwater's gauges and counters are registered in it and `GET /metrics` serves it. */
  metrics?: MetricsRegistry;
  /**
   * Origins (`https://ops.example.com`) allowed to send state-changing requests besides the request's own host,
   * for proxies that rewrite the Host header.
   */
  allowedOrigins?: readonly string[];
  /** How often the event stream sends a heartbeat comment, ms. Default 15000. */
  heartbeatIntervalMs?: number;
  /** Where 5xx errors are logged (pino-compatible). Default: console.error. */
  logger?: ErrorLogger;
}

export interface ResolvedRouterOptions extends Omit<QueueManagementRouterOptions, 'allowedOrigins' | 'heartbeatIntervalMs' | 'logger'> {
  allowedOrigins: readonly string[];
  heartbeatIntervalMs: number;
  logger: ErrorLogger;
}

const DEFAULT_HEARTBEAT_MS = 15_000;

function hasMethods(value: unknown, methods: readonly string[]): boolean {
  return typeof value === 'object' && value !== null && methods.every((m) => typeof (value as Record<string, unknown>)[m] === 'function');
}

const isFunction = (value: unknown) => typeof value === 'function';

const optionsSchema = z
  .object({
    breakwater: z.custom<Breakwater>(
      (value) => hasMethods(value, ['resumeQueue', 'status']) && hasMethods((value as Breakwater).breakers, ['reset', 'trip', 'list']),
      { message: 'must be a Breakwater instance (from createBreakwater)' },
    ),
    authorize: z
      .custom<
        NonNullable<QueueManagementRouterOptions['authorize']>
      >(isFunction, { message: 'must be a function (req, action) => boolean | Promise<boolean>' })
      .optional(),
    identify: z
      .custom<
        NonNullable<QueueManagementRouterOptions['identify']>
      >(isFunction, { message: 'must be a function (req) => string | undefined' })
      .optional(),
    allowUnauthenticated: z.literal(true, { message: 'must be true when given (omit it to require authorize)' }).optional(),
    metrics: z
      .custom<MetricsRegistry>((value) => hasMethods(value, ['registerMetric', 'metrics']), { message: 'must be a prom-client Registry' })
      .optional(),
    allowedOrigins: z
      .array(
        z
          .string()
          .refine((origin) => URL.canParse(origin) && new URL(origin).origin === origin, 'must be origins like "https://ops.example.com"'),
      )
      .optional(),
    heartbeatIntervalMs: z.number().int().positive().optional(),
    logger: z.custom<ErrorLogger>((value) => hasMethods(value, ['error']), { message: 'must be a logger with an error method' }).optional(),
  })
  .strict();

function describeIssue(issue: z.core.$ZodIssue, input: Record<string, unknown>): string {
  const path = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys') return `Unknown option ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  const top = issue.path[0];
  if (top !== undefined && input[top as string] === undefined) return `Missing required option "${path}"`;
  return `Invalid option "${path}": ${issue.message}`;
}

export function resolveRouterOptions(input: unknown): ResolvedRouterOptions {
  if (typeof input !== 'object' || input === null) {
    throw new InvalidOptionsError('queueManagementRouter needs an options object: { breakwater, authorize }');
  }
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    const message = parsed.error.issues.map((issue) => describeIssue(issue, input as Record<string, unknown>)).join('; ');
    throw new InvalidOptionsError(message, { cause: parsed.error });
  }
  const options = parsed.data;
  if (!options.authorize && options.allowUnauthenticated !== true) {
    // Failing closed: an operator API that pauses and resumes production must not be open by accident.
    throw new InvalidOptionsError(
      'Missing required option "authorize": pass authorize(req, action), or allowUnauthenticated: true to serve these routes to anyone',
    );
  }
  return {
    ...options,
    allowedOrigins: options.allowedOrigins ?? [],
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_MS,
    logger: options.logger ?? { error: (fields, message) => console.error(message ?? 'Queue management request failed', fields) },
  };
}
