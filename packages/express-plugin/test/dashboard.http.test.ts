import { createHash } from 'node:crypto';
import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { closeTestBreakwaters, createTestBreakwater } from './in-memory-breakwater.js';
import { MOUNT, createTestApp } from './test-app.js';

afterEach(closeTestBreakwaters);

function setup() {
  const test = createTestBreakwater();
  return createTestApp({ breakwater: test.bw, allowUnauthenticated: true });
}

function sha256(text: string): string {
  return `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
}

describe('GET /dashboard', () => {
  it('serves a self-contained page whose inline script and style are exactly what the CSP allows', async () => {
    const res = await request(setup()).get(`${MOUNT}/dashboard`);

    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-store');
    const html = res.text;
    expect(html).toContain('<h2 id="resume-title">Manual Queue Resume</h2>');
    // Nothing is loaded from elsewhere: no external script, stylesheet or font. (The SVG namespace, which
    // the timeline's elements are made in, is a name that is never fetched.)
    expect(html.replaceAll('"http://www.w3.org/2000/svg"', '')).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet|https?:\/\//);

    const csp = res.headers['content-security-policy'] as string;
    const script = /<script>([\s\S]*)<\/script>/.exec(html)?.[1];
    const style = /<style>([\s\S]*)<\/style>/.exec(html)?.[1];
    expect(script).toBeDefined();
    expect(style).toBeDefined();
    expect(csp).toContain(`script-src ${sha256(script!)}`);
    expect(csp).toContain(`style-src ${sha256(style!)}`);
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
  });

  it('is served under the trailing-slash path too (the page derives the API base from its own path)', async () => {
    const res = await request(setup()).get(`${MOUNT}/dashboard/`);
    expect(res.status).toBe(200);
  });
});
