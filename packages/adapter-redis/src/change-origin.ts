import { randomUUID } from 'node:crypto';

const ABANDONED_KEPT_MS = 60_000;
const ABANDONED_KEPT_MAX = 1_000;

/**
 * Tags each write with `<instance id>/<sequence>`, so the announcements a store hears back can be told
 * apart: its own (already known from the script's reply, so not reported) and everyone else's.
 *
 * One exception: a write whose caller got an error (it timed out) may still have been applied —
 * ioredis resends unanswered commands after a reconnect. Its announcement is the only news of that
 * change this instance will get, so it is reported like another instance's.
 */
export class ChangeOrigin {
  readonly instanceId = randomUUID();
  /** What every tag of this instance starts with. */
  private readonly ownPrefix = `${this.instanceId}/`;
  private sequence = 0;
  private readonly abandoned = new Map<string, number>();

  /** The next write's tag. JSON as it is (no character to escape): breaker-arguments.ts relies on that. */
  next(): string {
    return `${this.ownPrefix}${++this.sequence}`;
  }

  /** The write tagged `tag` failed for its caller: report its announcement if it ever comes. */
  abandon(tag: string): void {
    const now = Date.now();
    for (const [old, at] of this.abandoned) {
      if (now - at < ABANDONED_KEPT_MS && this.abandoned.size < ABANDONED_KEPT_MAX) break;
      this.abandoned.delete(old);
    }
    this.abandoned.set(tag, now);
  }

  /** Whether an announcement tagged `tag` is news to this instance (another instance's, or an abandoned write's). */
  isNews(tag: string): boolean {
    if (!tag.startsWith(this.ownPrefix)) return true;
    return this.abandoned.size > 0 && this.abandoned.delete(tag);
  }

  /** `isNews` for the tag that `text` starts with, ending at `end`: its own are told apart without cutting the tag out. */
  isNewsAt(text: string, end: number): boolean {
    if (!text.startsWith(this.ownPrefix)) return true;
    return this.abandoned.size > 0 && this.abandoned.delete(text.slice(0, end));
  }
}
