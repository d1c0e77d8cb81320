/**
 * The test functions a contract suite needs, passed in by the caller so that this package
 * never imports a test runner: `{ describe, it, expect }` from vitest fit as they are.
 */

/** The few matchers the suites use; vitest's (and jest's) `expect` satisfies this shape. */
export interface Matchers {
  toBe(expected: unknown): void;
  toEqual(expected: unknown): void;
  toMatchObject(expected: object): void;
  toBeNull(): void;
  toHaveLength(length: number): void;
  toBeGreaterThan(value: number): void;
  toBeGreaterThanOrEqual(value: number): void;
  toBeLessThan(value: number): void;
  toBeLessThanOrEqual(value: number): void;
  toContain(item: unknown): void;
  toBeInstanceOf(type: unknown): void;
  toMatch(pattern: RegExp | string): void;
  readonly not: Matchers;
}

export type Expect = (actual: unknown) => Matchers;

type TestFn = (name: string, fn: () => Promise<void> | void, timeout?: number) => void;

type Hook = (fn: () => Promise<void> | void) => void;

export interface TestApi {
  describe: (name: string, fn: () => void) => void;
  /**
   * `timeout` (ms) is given only to the few tests that wait on real time or write thousands of rows. `it.skip`,
   * when the runner has it, registers the cases of what an adapter declared it does not support.
   */
  it: TestFn & { skip?: TestFn };
  expect: Expect;
  beforeEach?: Hook;
  afterEach?: Hook;
}
