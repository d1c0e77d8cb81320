/**
 * The queue-management API as the page calls it: relative to where the router is mounted (the page is
 * served at <mount>/dashboard), with the X-Requested-With header and the JSON content type that the
 * router's cross-site rule asks for, unwrapping the `{ status, data | detail }` envelope.
 */
const base = location.pathname.replace(/\/dashboard\/?$/, '');

export function endpoint(path: string): string {
  return `${base}/${path}`;
}

interface Envelope {
  status?: unknown;
  data?: unknown;
  detail?: unknown;
}

/** A failed call, with the HTTP status (0 when the server could not be reached). */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** The envelope's `data`; otherwise an ApiError with the server's `detail`, or saying what failed. */
export async function api<T>(method: 'GET' | 'POST', path: string, body: Record<string, unknown> = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'X-Requested-With': 'XMLHttpRequest' };
  const init: RequestInit = { method, headers, credentials: 'same-origin', cache: 'no-store' };
  if (method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(endpoint(path), init);
  } catch {
    throw new ApiError('The server could not be reached', 0);
  }
  const payload = (await response.json().catch(() => null)) as Envelope | null;
  if (response.ok && payload?.status === 'success') return payload.data as T;
  throw new ApiError(typeof payload?.detail === 'string' ? payload.detail : `Request failed (HTTP ${response.status})`, response.status);
}
