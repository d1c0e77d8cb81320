/**
 * The five third-party services an outreach backend calls, as in-process fakes: each takes a
 * little time, answers something plausible, and can be switched to fail like the real API does
 * (a 503, or a 429 with Retry-After), which is what trips its circuit breaker.
 */
export const SERVICE_NAMES = ['apollo', 'perplexity', 'openai', 'instantly', 'millionverifier'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export const SERVICE_MODES = ['healthy', 'failing', 'rate-limited'] as const;
export type ServiceMode = (typeof SERVICE_MODES)[number];

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}

/** What a job carries: the lead the campaign works on. */
export interface LeadPayload {
  lead: { name: string; company: string; domain: string };
}

/**
 * An HTTP error answer from a third-party API. `retryAfterMs` is set for a 429 with Retry-After:
 * Breakwater's default error classification reads it and keeps the breaker open at least that long.
 */
export class ThirdPartyHttpError extends Error {
  readonly status: number;
  readonly retryAfterMs: number | undefined;

  constructor(service: string, status: number, statusText: string, retryAfterMs?: number) {
    const retryAfter = retryAfterMs === undefined ? '' : ` (Retry-After: ${Math.ceil(retryAfterMs / 1000)}s)`;
    super(`HTTP ${status} from ${service}: ${statusText}${retryAfter}`);
    this.name = 'ThirdPartyHttpError';
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

interface ServiceProfile {
  displayName: string;
  purpose: string;
  answer: (lead: LeadPayload['lead']) => unknown;
}

const PROFILES: Record<ServiceName, ServiceProfile> = {
  apollo: {
    displayName: 'Apollo',
    purpose: 'lead fetching',
    answer: (lead) => ({ contact: { name: lead.name, title: 'VP Sales', email: emailOf(lead) }, company: lead.company }),
  },
  perplexity: {
    displayName: 'Perplexity',
    purpose: 'lead enrichment',
    answer: (lead) => ({ summary: `${lead.company} (${lead.domain}) is hiring sales staff and recently raised a round.` }),
  },
  openai: {
    displayName: 'OpenAI',
    purpose: 'email copy generation',
    answer: (lead) => ({
      subject: `Quick idea for ${lead.company}`,
      body: `Hi ${lead.name.split(' ')[0] ?? lead.name}, saw the news about ${lead.company}…`,
    }),
  },
  instantly: {
    displayName: 'Instantly',
    purpose: 'lead creation',
    answer: (lead) => ({ instantlyLeadId: `inst_${lead.domain.replace(/\W/g, '')}` }),
  },
  millionverifier: {
    displayName: 'MillionVerifier',
    purpose: 'email verification',
    answer: (lead) => ({ email: emailOf(lead), result: 'ok', quality: 'good' }),
  },
};

function emailOf(lead: LeadPayload['lead']): string {
  return `${lead.name.toLowerCase().replace(/[^a-z]+/g, '.')}@${lead.domain}`;
}

export interface SimulatedServiceOptions {
  /** Each call takes a random time in [min, max] ms. */
  latencyMs: { min: number; max: number };
  /** The Retry-After a rate-limited answer carries, ms. Default 30000. */
  retryAfterMs?: number;
  random?: () => number;
}

export interface ServiceStats {
  service: ServiceName;
  displayName: string;
  purpose: string;
  mode: ServiceMode;
  calls: number;
  failures: number;
}

export class SimulatedService {
  readonly name: ServiceName;
  readonly displayName: string;
  readonly purpose: string;
  #mode: ServiceMode = 'healthy';
  #calls = 0;
  #failures = 0;
  readonly #profile: ServiceProfile;
  readonly #options: SimulatedServiceOptions;

  constructor(name: ServiceName, options: SimulatedServiceOptions) {
    this.name = name;
    this.#profile = PROFILES[name];
    this.displayName = this.#profile.displayName;
    this.purpose = this.#profile.purpose;
    this.#options = options;
  }

  get mode(): ServiceMode {
    return this.#mode;
  }

  setMode(mode: ServiceMode): void {
    this.#mode = mode;
  }

  stats(): ServiceStats {
    return {
      service: this.name,
      displayName: this.displayName,
      purpose: this.purpose,
      mode: this.#mode,
      calls: this.#calls,
      failures: this.#failures,
    };
  }

  /** One API call. The mode is read when the answer comes back, as a real outage would hit a call in flight. */
  async call(payload: LeadPayload, signal?: AbortSignal): Promise<unknown> {
    this.#calls += 1;
    await sleep(this.#latency(), signal);
    switch (this.#mode) {
      case 'healthy':
        return this.#profile.answer(payload.lead);
      case 'failing':
        this.#failures += 1;
        throw new ThirdPartyHttpError(this.displayName, 503, 'Service Unavailable');
      case 'rate-limited':
        this.#failures += 1;
        throw new ThirdPartyHttpError(this.displayName, 429, 'Too Many Requests', this.#options.retryAfterMs ?? 30_000);
    }
  }

  #latency(): number {
    const { min, max } = this.#options.latencyMs;
    return Math.round(min + (max - min) * (this.#options.random ?? Math.random)());
  }
}

export type SimulatedServices = Record<ServiceName, SimulatedService>;

export function createSimulatedServices(options: SimulatedServiceOptions): SimulatedServices {
  return Object.fromEntries(SERVICE_NAMES.map((name) => [name, new SimulatedService(name, options)])) as SimulatedServices;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
