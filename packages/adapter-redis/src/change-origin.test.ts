import { describe, expect, it } from 'vitest';
import { ChangeOrigin } from './change-origin.js';

describe('ChangeOrigin', () => {
  it("reports other instances' changes and not its own", () => {
    const here = new ChangeOrigin();
    const elsewhere = new ChangeOrigin();
    expect(here.isNews(here.next())).toBe(false);
    expect(here.isNews(elsewhere.next())).toBe(true);
  });

  it('reports its own write once when the caller was told it failed', () => {
    const here = new ChangeOrigin();
    const tag = here.next();
    here.abandon(tag);
    expect(here.isNews(tag)).toBe(true);
    expect(here.isNews(tag)).toBe(false);
    expect(here.isNews(here.next())).toBe(false);
  });

  it('makes tags that are JSON strings as they are (the breaker scripts get them inside a JSON argument, unencoded)', () => {
    const origin = new ChangeOrigin();
    for (const tag of [origin.next(), origin.next()]) expect(JSON.stringify(tag)).toBe(`"${tag}"`);
  });
});
