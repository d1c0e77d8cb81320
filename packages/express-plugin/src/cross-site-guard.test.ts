import { describe, expect, it } from 'vitest';
import { type CrossSiteRequest, crossSiteRefusal } from './cross-site-guard.js';

const base: CrossSiteRequest = { contentType: undefined, requestedWith: undefined, origin: undefined, hosts: ['ops.example.com'] };
const MARKER = 'send Content-Type: application/json or an X-Requested-With header';

describe('crossSiteRefusal', () => {
  it.each([
    ['no content type and no header', {}, MARKER],
    ['a form content type', { contentType: 'application/x-www-form-urlencoded' }, MARKER],
    ['text/plain (what a form can send as "JSON")', { contentType: 'text/plain' }, MARKER],
    ['JSON with a charset', { contentType: 'Application/JSON; charset=utf-8' }, null],
    ['a +json media type', { contentType: 'application/merge-patch+json' }, null],
    ['X-Requested-With', { requestedWith: 'XMLHttpRequest' }, null],
    ['the same host', { requestedWith: 'x', origin: 'https://ops.example.com' }, null],
    ['the same host on another scheme', { requestedWith: 'x', origin: 'http://ops.example.com' }, null],
    ['another port', { requestedWith: 'x', origin: 'https://ops.example.com:8443' }, 'does not match this host'],
    ['another host', { requestedWith: 'x', origin: 'https://evil.example' }, 'does not match this host'],
    ['a sibling subdomain', { requestedWith: 'x', origin: 'https://evil.ops.example.com' }, 'does not match this host'],
    ['an opaque origin', { requestedWith: 'x', origin: 'null' }, 'does not match this host'],
  ] as const)('%s', (_case, request, refusal) => {
    const result = crossSiteRefusal({ ...base, ...request }, []);
    if (refusal === null) expect(result).toBeNull();
    else expect(result).toContain(refusal);
  });

  it('lets an allowed origin through', () => {
    expect(
      crossSiteRefusal({ ...base, requestedWith: 'x', origin: 'https://admin.example.net' }, ['https://admin.example.net']),
    ).toBeNull();
  });
});
