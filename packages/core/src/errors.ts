/**
 * One error base with a string-union code, and a brand that survives two installed
 * copies of the package (instanceof does not), checked by `isBreakwaterError`.
 */
import { PAUSED_CAMPAIGN_NEEDS_RESUME_QUEUE } from './messages.js';

export type BreakwaterErrorCode =
  | 'PREREQUISITES_NOT_MET'
  | 'RESUME_IN_PROGRESS'
  | 'CIRCUIT_OPEN'
  | 'TIMEOUT'
  | 'INVALID_TRANSITION'
  | 'UNKNOWN_SERVICE'
  | 'NOT_FOUND'
  | 'INVALID_OPTIONS'
  | 'STORE_ERROR'
  | 'STATE_LOST'
  | 'RESUME_STALLED'
  | 'NOT_CONFIGURED';

const BRAND = Symbol.for('@breakwater/core:error');

export class BreakwaterError extends Error {
  readonly code: BreakwaterErrorCode;
  readonly [BRAND] = true;

  constructor(code: BreakwaterErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

export function isBreakwaterError(error: unknown): error is BreakwaterError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[BRAND] === true;
}

export interface BlockedService<S extends string = string> {
  service: S;
  /** The breaker's state: `open` or `half_open`. */
  reason: string;
}

/** resumeQueue step 3 (docs/manual-resume.md#the-steps): some breaker is not closed. The message lists them with their states. */
export class PrerequisitesNotMetError extends BreakwaterError {
  readonly blocked: BlockedService[];

  constructor(message: string, blocked: BlockedService[]) {
    super('PREREQUISITES_NOT_MET', message);
    this.blocked = blocked;
  }
}

/** resumeQueue step 1 (docs/manual-resume.md#the-steps): another resume (in this or another process) holds the lock. */
export class ResumeInProgressError extends BreakwaterError {
  constructor(message = 'A queue resume is already in progress') {
    super('RESUME_IN_PROGRESS', message);
  }
}

/** `execute()` refused the call: the breaker is open, its probes are taken, or its queue is paused. */
export class CircuitOpenError extends BreakwaterError {
  readonly service: string;
  readonly reason: 'open' | 'half_open' | 'queue_paused';

  constructor(service: string, reason: 'open' | 'half_open' | 'queue_paused') {
    super('CIRCUIT_OPEN', `Circuit breaker for ${service} does not allow requests (${reason})`);
    this.service = service;
    this.reason = reason;
  }
}

/** `execute()` gave up on a call that ran past its `timeoutMs`; counts as a failure of the service. */
export class CallTimeoutError extends BreakwaterError {
  readonly service: string;
  readonly timeoutMs: number;

  constructor(service: string, timeoutMs: number) {
    super('TIMEOUT', `Call to ${service} timed out after ${timeoutMs} ms`);
    this.service = service;
    this.timeoutMs = timeoutMs;
  }
}

export class InvalidTransitionError extends BreakwaterError {
  readonly from: string;
  readonly to: string;

  /** `detail` follows the fixed message (`Invalid campaign state transition: <detail>`), e.g. why the move is impossible. */
  constructor(from: string, to: string, detail?: string) {
    super('INVALID_TRANSITION', detail ? `Invalid campaign state transition: ${detail}` : 'Invalid campaign state transition');
    this.from = from;
    this.to = to;
  }
}

/**
 * PAUSED → RUNNING asked of `transitionCampaign` or `startCampaign`: a paused campaign resumes only with the
 * manual queue resume, and the message says so. Still an `INVALID_TRANSITION` (from `PAUSED`, to `RUNNING`).
 */
export class ResumeQueueRequiredError extends InvalidTransitionError {
  constructor() {
    super('PAUSED', 'RUNNING', PAUSED_CAMPAIGN_NEEDS_RESUME_QUEUE);
  }
}

export class UnknownServiceError extends BreakwaterError {
  readonly service: string;

  constructor(service: string) {
    super('UNKNOWN_SERVICE', `Unknown service: ${service}`);
    this.service = service;
  }
}

export class NotFoundError extends BreakwaterError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} not found`);
  }
}

/** An option given to a factory is missing or malformed; the message names it. */
export class InvalidOptionsError extends BreakwaterError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_OPTIONS', message, options);
  }
}

/** A port's adapter failed; the message names the port and method, `cause` is the driver's error. */
export class StoreError extends BreakwaterError {
  readonly port: string;
  readonly operation: string;

  constructor(port: string, operation: string, cause: unknown) {
    super('STORE_ERROR', `${port}.${operation} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.port = port;
    this.operation = operation;
  }
}

/**
 * A store holds no state: it was never set up, or its server lost what it held (a Redis restarted without
 * persistence, flushed, or failed over to a replica that had not caught up). Nothing was changed. Core
 * rebuilds the store from the durable record (the repository's fences) and retries; a host using a store
 * directly calls its `initialize` first.
 */
export class StoreStateLostError extends BreakwaterError {
  readonly port: string;

  constructor(port: string) {
    super('STATE_LOST', `${port} holds no state (never set up, or lost by its server): it must be initialized before use`);
    this.port = port;
  }
}

/** A resume stopped making progress (a store stopped answering); it gave up and released the resume lock. */
export class ResumeStalledError extends BreakwaterError {
  readonly waitingFor: string;
  readonly stalledForMs: number;

  constructor(waitingFor: string, stalledForMs: number) {
    super(
      'RESUME_STALLED',
      `Queue resume made no progress for ${stalledForMs} ms (waiting for ${waitingFor}); it stopped and released the resume lock. ` +
        'Run it again once the stores answer: a resume can be repeated safely.',
    );
    this.waitingFor = waitingFor;
    this.stalledForMs = stalledForMs;
  }
}

/** Asked for something this instance was not set up for (the history without a history store). */
export class NotConfiguredError extends BreakwaterError {
  constructor(message: string) {
    super('NOT_CONFIGURED', message);
  }
}
