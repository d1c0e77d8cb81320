import { describe, expect, it } from 'vitest';
import { decodeAnnouncement } from './announcement.js';
import { ChangeOrigin } from './change-origin.js';

describe('decodeAnnouncement', () => {
  const change = { service: 'apollo', transition: 'opened' };

  it("decodes another instance's announcement, and drops this instance's own", () => {
    const here = new ChangeOrigin();
    const elsewhere = new ChangeOrigin();
    expect(decodeAnnouncement(`${elsewhere.next()}\n${JSON.stringify(change)}`, here)).toEqual(change);
    expect(decodeAnnouncement(`${here.next()}\n${JSON.stringify(change)}`, here)).toBe(null);
  });

  it('reports an own write once when its caller was told it failed (as ChangeOrigin says)', () => {
    const here = new ChangeOrigin();
    const tag = here.next();
    here.abandon(tag);
    expect(decodeAnnouncement(`${tag}\n${JSON.stringify(change)}`, here)).toEqual(change);
    expect(decodeAnnouncement(`${tag}\n${JSON.stringify(change)}`, here)).toBe(null);
  });

  it('drops what is not an announcement: no origin line, or no JSON after it', () => {
    const here = new ChangeOrigin();
    expect(decodeAnnouncement(JSON.stringify(change), here)).toBe(null);
    expect(decodeAnnouncement('\n{}', here)).toBe(null);
    expect(decodeAnnouncement('someone/1\nnot json', here)).toBe(null);
  });
});
