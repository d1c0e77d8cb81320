/**
 * The signal a call gets when nothing can abort it (no `timeoutMs`, no caller signal): one for every such
 * call, as cockatiel does, since a controller per call costs more than the rest of the call path.
 *
 * Shared by every such call, it must not collect their listeners: an `abort` listener on a signal that
 * never aborts could never run, so it is not kept (a `fetch` per call would otherwise pile them up, leak
 * and trip Node's MaxListenersExceededWarning past ten at once).
 */
const signal = new AbortController().signal;
const addEventListener: EventTarget['addEventListener'] = signal.addEventListener.bind(signal);
Object.defineProperty(signal, 'addEventListener', {
  value: (...args: Parameters<EventTarget['addEventListener']>) => {
    if (args[0] !== 'abort') addEventListener(...args);
  },
});

export const NEVER_ABORTED: AbortSignal = signal;
