/**
 * A refusal decided by the HTTP layer itself (bad body, not authorized, cross-site, wrong method).
 * It is not a BreakwaterError on purpose: nothing in the domain went wrong, the request did.
 */
export class HttpError extends Error {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;

  constructor(status: number, detail: string, headers: Record<string, string> = {}) {
    super(detail);
    this.name = 'HttpError';
    this.status = status;
    this.headers = headers;
  }
}
