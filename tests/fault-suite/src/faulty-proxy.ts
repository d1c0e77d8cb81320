/**
 * A TCP proxy in front of a server (Postgres here) that a test can break the two ways networks break:
 * `cut()` drops every connection and refuses new ones (the server is gone); `blackhole()` keeps every
 * connection open, and accepts new ones, but nothing gets through either way (a silent server: a hung
 * host, a firewall dropping packets). `restore()` heals both; connections that lost bytes in a black hole
 * are closed then, as they would eventually break.
 */
import net from 'node:net';
import { freePort } from './own-redis-server.js';

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  /** Bytes were dropped: the protocol is out of step, the connection cannot be used again. */
  damaged: boolean;
}

export class FaultyProxy {
  #server: net.Server | null = null;
  #blackholed = false;
  readonly #pairs = new Set<Pair>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  static async start(target: { host: string; port: number }): Promise<FaultyProxy> {
    const proxy = new FaultyProxy(await freePort(), target);
    await proxy.#listen();
    return proxy;
  }

  /** The server is gone: every connection drops, new ones are refused. */
  async cut(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const pair of this.#pairs) this.#close(pair);
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The server is silent: connections stay open (new ones too), nothing is delivered either way. */
  blackhole(): void {
    this.#blackholed = true;
  }

  async restore(): Promise<void> {
    this.#blackholed = false;
    for (const pair of this.#pairs) if (pair.damaged) this.#close(pair);
    if (!this.#server) await this.#listen();
  }

  async stop(): Promise<void> {
    await this.cut();
  }

  async #listen(): Promise<void> {
    const server = net.createServer((client) => this.#accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.#server = server;
  }

  #accept(client: net.Socket): void {
    const upstream = net.connect(this.target.port, this.target.host);
    const pair: Pair = { client, upstream, damaged: false };
    this.#pairs.add(pair);
    const forward = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        if (this.#blackholed) pair.damaged = true;
        else to.write(chunk);
      });
    forward(client, upstream);
    forward(upstream, client);
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.#close(pair));
      socket.on('close', () => this.#close(pair));
    }
  }

  #close(pair: Pair): void {
    this.#pairs.delete(pair);
    pair.client.destroy();
    pair.upstream.destroy();
  }
}
