/**
 * Tripping a breaker from the page: a dialog that says what a trip does, asks for the reason (recorded in
 * the history with the operator's name) and a second click to confirm. Nothing is sent until then.
 */
import { byId } from './dom.js';

let tripping: string | null = null;

/** Wires the dialog once; `onConfirm` runs the trip and resolves to an error message, or null when it worked. */
export function setUpTripDialog(onConfirm: (service: string, reason: string) => Promise<string | null>): void {
  const dialog = byId<HTMLDialogElement>('trip-dialog');
  const form = byId<HTMLFormElement>('trip-form');
  const reason = byId<HTMLInputElement>('trip-reason');
  const confirm = byId<HTMLButtonElement>('trip-confirm');
  const error = byId('trip-error');
  byId('trip-cancel').addEventListener('click', () => dialog.close());
  form.addEventListener('submit', (event) => {
    // Handled here: the page sends no form anywhere (its CSP says so).
    event.preventDefault();
    const service = tripping;
    const text = reason.value.trim();
    if (!service || confirm.disabled) return;
    if (!text) {
      error.textContent = 'Say why: the reason is recorded with the trip.';
      reason.focus();
      return;
    }
    confirm.disabled = true;
    confirm.setAttribute('aria-busy', 'true');
    error.textContent = '';
    void onConfirm(service, text).then((failure) => {
      confirm.disabled = false;
      confirm.setAttribute('aria-busy', 'false');
      if (failure === null) dialog.close();
      else error.textContent = failure;
    });
  });
}

export function openTripDialog(service: string, opener: HTMLElement): void {
  tripping = service;
  const dialog = byId<HTMLDialogElement>('trip-dialog');
  byId('trip-title').textContent = `Trip the circuit breaker for ${service}?`;
  byId('trip-what').textContent =
    `It opens and stays open: the ${service} queue pauses, its pending jobs pause and the running campaigns pause, ` +
    'until an operator resets the breaker and resumes the queue.';
  byId('trip-confirm').textContent = `Trip ${service}`;
  byId('trip-error').textContent = '';
  const reason = byId<HTMLInputElement>('trip-reason');
  reason.value = '';
  dialog.addEventListener('close', () => opener.focus(), { once: true });
  dialog.showModal();
  reason.focus();
}
