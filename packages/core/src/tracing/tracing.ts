/**
 * What Breakwater's code sees of tracing: run this in a span. Without OpenTelemetry it runs the function and
 * nothing else (no attributes are even built: they come as a thunk), so tracing costs nothing when absent.
 */

export type SpanAttributeValue = string | number | boolean;
export type SpanAttributes = Record<string, SpanAttributeValue | null | undefined>;

/** The span a traced function runs in: it may add what it learned (counts) before it ends. */
export interface SpanHandle {
  setAttributes(attributes: SpanAttributes): void;
}

export interface Tracing {
  /** Runs `fn` in a span named `name`, a child of the active one; the span ends when `fn` settles, marked failed if it throws. */
  inSpan<T>(name: string, attributes: () => SpanAttributes, fn: (span: SpanHandle) => Promise<T>): Promise<T>;
}

const NOOP_SPAN: SpanHandle = { setAttributes: () => {} };

export const NO_TRACING: Tracing = {
  inSpan: (_name, _attributes, fn) => fn(NOOP_SPAN),
};
