import { describe, expect, it } from 'vitest';
import { SERVICE_NAMES, SimulatedService, ThirdPartyHttpError, createSimulatedServices } from './simulated-services.js';

const lead = { lead: { name: 'Ada Whitfield', company: 'Northwind Freight', domain: 'northwind.example' } };
const fast = { latencyMs: { min: 0, max: 1 } };

describe('the simulated services', () => {
  it('are the five services of the README, healthy at first', () => {
    const services = createSimulatedServices(fast);
    expect(Object.keys(services)).toEqual([...SERVICE_NAMES]);
    expect(Object.values(services).map((s) => s.mode)).toEqual(['healthy', 'healthy', 'healthy', 'healthy', 'healthy']);
  });

  it('answer something about the lead while healthy', async () => {
    const services = createSimulatedServices(fast);
    await expect(services.apollo.call(lead)).resolves.toMatchObject({ contact: { email: 'ada.whitfield@northwind.example' } });
    await expect(services.openai.call(lead)).resolves.toMatchObject({ subject: 'Quick idea for Northwind Freight' });
    await expect(services.millionverifier.call(lead)).resolves.toMatchObject({ result: 'ok' });
  });

  it('fail like an HTTP 503 while failing', async () => {
    const apollo = new SimulatedService('apollo', fast);
    apollo.setMode('failing');
    const error = await apollo.call(lead).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ThirdPartyHttpError);
    expect(error).toMatchObject({ status: 503, message: 'HTTP 503 from Apollo: Service Unavailable', retryAfterMs: undefined });
    expect(apollo.stats()).toMatchObject({ mode: 'failing', calls: 1, failures: 1 });
  });

  it('fail like a 429 with Retry-After while rate-limited', async () => {
    const perplexity = new SimulatedService('perplexity', { ...fast, retryAfterMs: 45_000 });
    perplexity.setMode('rate-limited');
    await expect(perplexity.call(lead)).rejects.toMatchObject({
      status: 429,
      retryAfterMs: 45_000,
      message: 'HTTP 429 from Perplexity: Too Many Requests (Retry-After: 45s)',
    });
  });

  it('recover when switched back to healthy', async () => {
    const instantly = new SimulatedService('instantly', fast);
    instantly.setMode('failing');
    await expect(instantly.call(lead)).rejects.toThrow('HTTP 503');
    instantly.setMode('healthy');
    await expect(instantly.call(lead)).resolves.toEqual({ instantlyLeadId: 'inst_northwindexample' });
    expect(instantly.stats()).toMatchObject({ calls: 2, failures: 1 });
  });

  it('take their latency, and stop waiting when the call is aborted', async () => {
    const slow = new SimulatedService('openai', { latencyMs: { min: 10_000, max: 10_000 } });
    const controller = new AbortController();
    const call = slow.call(lead, controller.signal);
    controller.abort(new Error('worker stopping'));
    await expect(call).rejects.toThrow('worker stopping');
  });
});
