/** `execute`'s options, checked when given: a wrong one fails at once, naming it, before the call runs. */
import type { ExecuteOptions } from './breakwater.js';
import { InvalidOptionsError } from './errors.js';

const KNOWN = new Set(['timeoutMs', 'signal', 'classifyError']);

export function checkExecuteOptions(options: ExecuteOptions): void {
  if (typeof options !== 'object' || options === null) throw new InvalidOptionsError('execute options must be an object');
  for (const name of Object.keys(options)) {
    if (!KNOWN.has(name)) throw new InvalidOptionsError(`Unknown option "${name}" for execute (known: timeoutMs, signal, classifyError)`);
  }
  const { timeoutMs, signal, classifyError } = options;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
    throw new InvalidOptionsError(`Invalid option "timeoutMs": must be a positive number of ms (got ${JSON.stringify(timeoutMs)})`);
  }
  if (
    signal !== undefined &&
    !(typeof signal === 'object' && signal !== null && typeof signal.addEventListener === 'function' && 'aborted' in signal)
  ) {
    throw new InvalidOptionsError('Invalid option "signal": must be an AbortSignal');
  }
  if (classifyError !== undefined && typeof classifyError !== 'function') {
    throw new InvalidOptionsError('Invalid option "classifyError": must be a function (error) => FailureInput | null');
  }
}
