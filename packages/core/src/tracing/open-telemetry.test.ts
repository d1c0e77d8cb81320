import * as api from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { TRACER_NAME, lazyOpenTelemetry } from './open-telemetry.js';

const exporter = new InMemorySpanExporter();

beforeAll(() => {
  api.trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }));
});

afterAll(() => {
  api.trace.disable();
});

describe('tracing through @opentelemetry/api', () => {
  it('runs each traced call in a span with its attributes, marked failed when the call throws', async () => {
    exporter.reset();
    const tracing = lazyOpenTelemetry(silentLogger, async () => api);
    expect(await tracing.loaded).toBe(true);
    const answer = await tracing.inSpan(
      'breakwater.test',
      () => ({ 'breakwater.service': 'apollo', dropped: null }),
      async (span) => {
        span.setAttributes({ 'breakwater.jobs_resumed': 3 });
        return 42;
      },
    );
    expect(answer).toBe(42);
    await expect(
      tracing.inSpan(
        'breakwater.failing',
        () => ({}),
        async () => {
          throw new Error('store down');
        },
      ),
    ).rejects.toThrow('store down');

    const [ok, failed] = exporter.getFinishedSpans();
    expect(ok?.name).toBe('breakwater.test');
    expect(ok?.instrumentationScope.name).toBe(TRACER_NAME);
    expect(ok?.attributes).toEqual({ 'breakwater.service': 'apollo', 'breakwater.jobs_resumed': 3 });
    expect(ok?.status.code).toBe(api.SpanStatusCode.UNSET);
    expect(failed?.status).toEqual({ code: api.SpanStatusCode.ERROR, message: 'store down' });
    expect(failed?.events.map((event) => event.name)).toEqual(['exception']);
  });

  it('never delays what it traces: the function starts in the same turn, loading, loaded or absent', async () => {
    const loading = lazyOpenTelemetry(silentLogger, () => new Promise(() => {}));
    const loaded = lazyOpenTelemetry(silentLogger, async () => api);
    await loaded.loaded;
    const absent = lazyOpenTelemetry(silentLogger, () => Promise.reject(new Error('not installed')));
    await absent.loaded;
    for (const tracing of [loading, loaded, absent]) {
      let started = false;
      const call = tracing.inSpan(
        'breakwater.now',
        () => ({}),
        async () => {
          started = true;
        },
      );
      expect(started).toBe(true);
      await call;
    }
  });

  it('without @opentelemetry/api, calls straight through: no span, not even its attributes are built', async () => {
    exporter.reset();
    let imports = 0;
    const tracing = lazyOpenTelemetry(silentLogger, () => {
      imports += 1;
      return Promise.reject(Object.assign(new Error("Cannot find package '@opentelemetry/api'"), { code: 'ERR_MODULE_NOT_FOUND' }));
    });
    let built = 0;
    const attributes = () => {
      built += 1;
      return {};
    };
    expect(await tracing.loaded).toBe(false);
    expect(await tracing.inSpan('breakwater.first', attributes, async () => 'first')).toBe('first');
    expect(await tracing.inSpan('breakwater.second', attributes, async () => 'second')).toBe('second');
    await expect(tracing.inSpan('breakwater.third', attributes, () => Promise.reject(new Error('its own error')))).rejects.toThrow(
      'its own error',
    );
    expect({ imports, built, spans: exporter.getFinishedSpans().length }).toEqual({ imports: 1, built: 0, spans: 0 });
  });
});
