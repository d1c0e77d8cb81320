import type { ChangeOrigin } from './change-origin.js';

/**
 * Every script announces its write as the writer's origin tag on a line of its own, then the change as JSON.
 * An instance hears its own announcements too (it already knows them from the script's reply): with the origin
 * first, it drops them without decoding anything, on the failure path that announces every call.
 */
export function decodeAnnouncement(raw: string, origin: ChangeOrigin): unknown {
  const end = raw.indexOf('\n');
  if (end <= 0 || !origin.isNewsAt(raw, end)) return null;
  try {
    return JSON.parse(raw.slice(end + 1)) as unknown;
  } catch {
    return null; // not ours: someone else publishes on this channel
  }
}
