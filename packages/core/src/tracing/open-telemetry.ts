/**
 * Spans through `@opentelemetry/api`, an optional peer dependency: loaded once, lazily, by a dynamic import
 * that is allowed to fail. When the host has no `@opentelemetry/api`, nothing is loaded and every traced
 * operation runs as it would without tracing. When it has one but registered no SDK, the API's own no-op
 * tracer answers: spans go nowhere, as OpenTelemetry intends for libraries.
 */
import type * as OpenTelemetryApi from '@opentelemetry/api';
import type { Logger } from '../logger.js';
import { NO_TRACING, type SpanAttributes, type SpanHandle, type Tracing } from './tracing.js';

export type OpenTelemetryImport = () => Promise<typeof OpenTelemetryApi>;

/** The tracer's name in every span it makes: the instrumentation scope. */
export const TRACER_NAME = '@breakwater/core';

const importOpenTelemetry: OpenTelemetryImport = () => import('@opentelemetry/api');

/** OpenTelemetry drops undefined and null attributes itself; dropped here so the types agree. */
function defined(attributes: SpanAttributes): OpenTelemetryApi.Attributes {
  const kept: OpenTelemetryApi.Attributes = {};
  for (const [key, value] of Object.entries(attributes)) if (value !== undefined && value !== null) kept[key] = value;
  return kept;
}

function tracingWith(api: typeof OpenTelemetryApi): Tracing {
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

/**
 * Tracing that loads OpenTelemetry on first use. Until the import has settled, a traced operation waits for it
 * (once, at start-up); after, it either traces or, when the import failed, calls straight through.
 */
export function lazyOpenTelemetry(logger: Logger, importer: OpenTelemetryImport = importOpenTelemetry): Tracing {
  let resolved: Tracing | null = null;
  const loading = importer().then(
    (api) => (resolved = tracingWith(api)),
    (error: unknown) => {
      logger.debug({ err: error }, 'Tracing off: @opentelemetry/api is not installed');
      return (resolved = NO_TRACING);
    },
  );
  return {
    inSpan: (name, attributes, fn) =>
      resolved ? resolved.inSpan(name, attributes, fn) : loading.then((tracing) => tracing.inSpan(name, attributes, fn)),
  };
}
