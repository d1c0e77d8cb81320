import { describe, expect, it } from 'vitest';
import { checkExecuteOptions } from './execute-options.js';

describe('checkExecuteOptions', () => {
  it('accepts what execute takes', () => {
    expect(() => checkExecuteOptions({})).not.toThrow();
    expect(() => checkExecuteOptions({ timeoutMs: 250, signal: new AbortController().signal, classifyError: () => null })).not.toThrow();
  });

  it.each([
    [{ timeoutMs: '100' }, 'Invalid option "timeoutMs": must be a positive number of ms (got "100")'],
    [{ timeoutMs: -1 }, 'Invalid option "timeoutMs": must be a positive number of ms (got -1)'],
    [{ timeoutMs: 0 }, 'Invalid option "timeoutMs": must be a positive number of ms (got 0)'],
    [{ signal: 'stop' }, 'Invalid option "signal": must be an AbortSignal'],
    [{ classifyError: 'none' }, 'Invalid option "classifyError": must be a function'],
    [{ timeout: 100 }, 'Unknown option "timeout" for execute'],
  ])('refuses %o', (options, message) => {
    expect(() => checkExecuteOptions(options as never)).toThrow(message);
  });
});
