/** A small fetch client for the app's JSON API, returning the status and the parsed envelope. */
export interface JsonResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface Envelope<T = Record<string, unknown>> {
  status: 'success' | 'error';
  data: T;
  detail: string;
}

export class HttpClient {
  constructor(
    readonly baseUrl: string,
    private readonly defaultHeaders: Record<string, string> = {},
  ) {}

  get<T = Envelope>(path: string, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    return this.request<T>('GET', path, undefined, headers);
  }

  /** Sends a JSON body (`{}` when none), as the dashboard does. */
  post<T = Envelope>(path: string, body: unknown = {}, headers: Record<string, string> = {}): Promise<JsonResponse<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  async request<T>(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<JsonResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      redirect: 'manual',
      headers: {
        Accept: 'application/json',
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...this.defaultHeaders,
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text === '' ? null : JSON.parse(text);
    } catch {
      // Not JSON (the dashboard page, a redirect): the raw text is what the test looks at.
    }
    return { status: response.status, headers: response.headers, body: parsed as T };
  }
}
