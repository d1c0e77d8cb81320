/**
 * Spans through `@opentelemetry/api`, an optional peer dependency. By default it is loaded once, by a dynamic
 * import that is allowed to fail: when the host has no `@opentelemetry/api`, nothing is loaded and every
 * traced operation runs as it would without tracing. When it has one but registered no SDK, the API's own
 * no-op tracer answers: spans go nowhere, as OpenTelemetry intends for libraries. A host may also hand its
 * `@opentelemetry/api` module in (`tracing: { api }`), and then spans start with the first operation.
 *
 * Tracing never delays what it traces: a span starts and its function runs in the same turn (a worker checks
 * for a pause right before its handler, with nothing awaited in between). Until the import has settled,
 * operations run untraced.
 */
import type { Logger } from '../logger.js';
import { NO_TRACING, type SpanAttributes, type SpanHandle, type Tracing } from './tracing.js';

/** The part of `@opentelemetry/api` used here, so that core's types do not need it installed. */
export interface OpenTelemetryApi {
  trace: { getTracer(name: string): OpenTelemetryTracer };
  SpanStatusCode: { ERROR: number };
}

interface OpenTelemetryTracer {
  startActiveSpan<F extends (span: OpenTelemetrySpan) => unknown>(name: string, options: { attributes?: object }, fn: F): ReturnType<F>;
}

interface OpenTelemetrySpan {
  setAttributes(attributes: object): unknown;
  recordException(exception: Error | string): void;
  setStatus(status: { code: number; message?: string }): unknown;
  end(): void;
}

export type OpenTelemetryImport = () => Promise<OpenTelemetryApi>;

/** The tracer's name in every span it makes: the instrumentation scope. */
export const TRACER_NAME = '@breakwater/core';

const importOpenTelemetry: OpenTelemetryImport = () => import('@opentelemetry/api') as Promise<OpenTelemetryApi>;

/** OpenTelemetry drops undefined and null attributes itself; dropped here so every exporter sees the same. */
function defined(attributes: SpanAttributes): Record<string, string | number | boolean> {
  const kept: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined && value !== null) kept[key] = value;
  return kept;
}

/** Tracing with a loaded `@opentelemetry/api`. */
export function openTelemetryTracing(api: OpenTelemetryApi): Tracing {
  const tracer = api.trace.getTracer(TRACER_NAME);
  return {
    inSpan: (name, attributes, fn) =>
      tracer.startActiveSpan(name, { attributes: defined(attributes()) }, async (span) => {
        const handle: SpanHandle = { setAttributes: (more) => span.setAttributes(defined(more)) };
        try {
          return await fn(handle);
        } catch (error) {
          span.recordException(error instanceof Error ? error : String(error));
          span.setStatus({ code: api.SpanStatusCode.ERROR, message: error instanceof Error ? error.message : String(error) });
          throw error;
        } finally {
          span.end();
        }
      }),
  };
}

/** Tracing that loads OpenTelemetry now, in the background: untraced until it has loaded, for good if it is absent. */
export function lazyOpenTelemetry(
  logger: Logger,
  importer: OpenTelemetryImport = importOpenTelemetry,
): Tracing & { loaded: Promise<boolean> } {
  let current: Tracing = NO_TRACING;
  const loaded = importer().then(
    (api) => {
      current = openTelemetryTracing(api);
      return true;
    },
    (error: unknown) => {
      logger.debug({ err: error }, 'Tracing off: @opentelemetry/api is not installed');
      return false;
    },
  );
  return { loaded, inSpan: (name, attributes, fn) => current.inSpan(name, attributes, fn) };
}
