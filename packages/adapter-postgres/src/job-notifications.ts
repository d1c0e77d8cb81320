/**
 * `subscribe` over LISTEN/NOTIFY: enqueueJob sends a notification with its insert, enqueueJobs one for its
 * whole batch (delivered on commit), and one dedicated connection per repository listens while anyone is subscribed. Every
 * process's enqueues arrive, this one's included, as the port asks. Notifications are a wake-up call,
 * not a log: one missed while the connection is being re-established is covered by the workers' poll.
 *
 * The listening connection is knex's, made outside its pool by `acquireRawConnection()` (and closed by
 * `destroyRawConnection()`): the connection factory the pool itself uses, with the host's settings,
 * declared public on knex's `Client` though its guide documents no API for a connection outside the
 * pool. Holding a pooled connection instead would take one of the host's for as long as anyone listens
 * (test/knex-boundary.test.ts pins that it does not).
 *
 * LISTEN is session state: behind a transaction-pooling PgBouncer the registration stays on whichever
 * server connection ran the statement, and this client, idle between statements, holds none, so nothing
 * is ever delivered to it. Hence the repository's `listenKnex` option, a direct connection for this.
 */
import type { Knex } from 'knex';
import type { RepositoryChange, Unsubscribe } from '@breakwater/core';
import { quoteIdentifier } from './schema-names.js';

type Listener = (change: RepositoryChange) => void;

/** The part of a pg `Client` a listening connection needs. */
interface ListeningConnection {
  query(sql: string): Promise<unknown>;
  on(event: 'notification', handler: (message: { channel: string; payload?: string }) => void): unknown;
  on(event: 'error' | 'end', handler: (error?: unknown) => void): unknown;
}

const RECONNECT_DELAY_MS = 1_000;

export class JobNotifications {
  readonly #client: Knex.Client;
  readonly #channel: string;
  readonly #listeners = new Set<Listener>();
  #connection: Promise<ListeningConnection | null> | null = null;
  #reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(knex: Knex, channel: string) {
    this.#client = knex.client as Knex.Client;
    this.#channel = channel;
  }

  subscribe(listener: Listener): Unsubscribe {
    this.#listeners.add(listener);
    if (this.#connection === null && this.#reconnectTimer === null) this.#connect();
    return () => {
      if (!this.#listeners.delete(listener) || this.#listeners.size > 0) return;
      this.#disconnect();
    };
  }

  /**
   * Resolves once this instance listens (at once when nobody is subscribed), so a job enqueued through
   * it right after a subscribe is heard. Never rejects: a listener that cannot connect just hears less.
   */
  async whenListening(): Promise<void> {
    await this.#connection;
  }

  #connect(): void {
    let lost = false;
    const attempt: Promise<ListeningConnection | null> = this.#client
      .acquireRawConnection()
      .then(async (connection: ListeningConnection) => {
        connection.on('notification', (message) => this.#deliver(message.channel, message.payload));
        connection.on('error', onLost);
        connection.on('end', onLost);
        try {
          await connection.query(`LISTEN ${quoteIdentifier(this.#channel)}`);
          return connection;
        } catch {
          await this.#client.destroyRawConnection(connection).catch(() => undefined);
          onLost();
          return null;
        }
      });
    const onLost = () => {
      // Only the current connection may schedule a reconnect: an old one ending after an
      // unsubscribe and a new subscribe must not drop its successor.
      if (lost || this.#connection !== current) return;
      lost = true;
      this.#connection = null;
      if (this.#listeners.size === 0) return;
      this.#reconnectTimer = setTimeout(() => {
        this.#reconnectTimer = null;
        this.#connect();
      }, RECONNECT_DELAY_MS);
      this.#reconnectTimer.unref?.();
    };
    const current = attempt.catch(() => {
      onLost();
      return null;
    });
    this.#connection = current;
  }

  #disconnect(): void {
    if (this.#reconnectTimer !== null) clearTimeout(this.#reconnectTimer);
    this.#reconnectTimer = null;
    const connection = this.#connection;
    this.#connection = null;
    void connection?.then((open) => (open ? this.#client.destroyRawConnection(open) : undefined)).catch(() => undefined);
  }

  #deliver(channel: string, payload: string | undefined): void {
    if (channel !== this.#channel || payload === undefined) return;
    // Anything else is someone else's message on our channel: nothing to deliver.
    for (const change of parseChanges(payload)) {
      for (const listener of this.#listeners) {
        try {
          listener(change);
        } catch {
          // A listener's failure is its own; the others still hear of the job.
        }
      }
    }
  }
}

/** enqueueJob's `{ service, jobId }`, or enqueueJobs' `{ services: { <service>: <count> } }` (one change per service). */
function parseChanges(payload: string): RepositoryChange[] {
  let parsed: { service?: unknown; jobId?: unknown; services?: unknown };
  try {
    parsed = JSON.parse(payload) as typeof parsed;
  } catch {
    return [];
  }
  if (typeof parsed !== 'object' || parsed === null) return [];
  if (typeof parsed.service === 'string' && typeof parsed.jobId === 'string') {
    return [{ kind: 'job-enqueued', service: parsed.service, jobId: parsed.jobId }];
  }
  const { services } = parsed;
  if (typeof services !== 'object' || services === null) return [];
  return Object.entries(services).flatMap(([service, count]): RepositoryChange[] =>
    typeof count === 'number' ? [{ kind: 'jobs-enqueued', service, count }] : [],
  );
}
