/** A minimal server-sent-events reader over node:http, for the tests: frames as they arrive, and close(). */
import { type ClientRequest, type IncomingMessage, get } from 'node:http';

export interface ServerSentFrame {
  event: string | null;
  data: string | null;
  comment: string | null;
}

export interface EventStreamClient {
  response: IncomingMessage;
  frames: ServerSentFrame[];
  /** Resolves with the first frame (already received or to come) that matches. */
  next(match: (frame: ServerSentFrame) => boolean): Promise<ServerSentFrame>;
  close(): void;
}

function parseFrame(block: string): ServerSentFrame {
  const frame: ServerSentFrame = { event: null, data: null, comment: null };
  for (const line of block.split('\n')) {
    if (line.startsWith(':')) frame.comment = line.slice(1).trim();
    else if (line.startsWith('event: ')) frame.event = line.slice('event: '.length);
    else if (line.startsWith('data: ')) frame.data = frame.data === null ? line.slice(6) : `${frame.data}\n${line.slice(6)}`;
  }
  return frame;
}

export function openEventStream(url: string, headers: Record<string, string> = {}): Promise<EventStreamClient> {
  return new Promise((resolve, reject) => {
    const request: ClientRequest = get(url, { headers: { Accept: 'text/event-stream', ...headers } }, (response) => {
      const frames: ServerSentFrame[] = [];
      const waiters: { match: (frame: ServerSentFrame) => boolean; resolve: (frame: ServerSentFrame) => void }[] = [];
      let buffer = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) !== -1) {
          const frame = parseFrame(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
          frames.push(frame);
          for (const waiter of [...waiters]) {
            if (waiter.match(frame)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(frame);
            }
          }
        }
      });
      response.on('error', () => {});
      resolve({
        response,
        frames,
        next: (match) => {
          const seen = frames.find(match);
          return seen ? Promise.resolve(seen) : new Promise((resolveFrame) => waiters.push({ match, resolve: resolveFrame }));
        },
        close: () => request.destroy(),
      });
    });
    request.on('error', (error) => {
      if ((error as NodeJS.ErrnoException).code !== 'ECONNRESET') reject(error);
    });
  });
}
