/**
 * A redis-server of the suite's own, on a free loopback port, that a test can kill (SIGKILL) and start
 * again empty: it keeps nothing on disk, as a Redis run without persistence would. Never the shared one.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export class OwnRedisServer {
  #process: ChildProcess | null = null;

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<OwnRedisServer> {
    const server = new OwnRedisServer(await freePort(), await mkdtemp(join(tmpdir(), 'breakwater-faults-redis-')));
    await server.restart();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts it (again) on the same port, holding nothing. */
  async restart(): Promise<void> {
    if (this.#process) throw new Error('redis-server is already running');
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir, '--logfile', ''],
      { stdio: 'ignore' },
    );
    this.#process = child;
    const failed = new Promise<never>((_, reject) => {
      child.once('error', (error) => reject(new Error(`could not start redis-server (is it installed?): ${error.message}`)));
      child.once('exit', (code) => reject(new Error(`redis-server exited at start (${code})`)));
    });
    await Promise.race([this.#untilAnswering(), failed]);
  }

  /** SIGKILL: everything it held is gone, and every connection drops. */
  async kill(): Promise<void> {
    const child = this.#process;
    if (!child) return;
    this.#process = null;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await exited;
  }

  async stop(): Promise<void> {
    await this.kill();
    await rm(this.dir, { recursive: true, force: true });
  }

  async #untilAnswering(): Promise<void> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      client.on('error', () => {});
      try {
        await client.connect();
        if ((await client.ping()) === 'PONG') return;
      } catch (error) {
        if (Date.now() > deadline) throw error;
      } finally {
        client.disconnect();
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

/** A port nothing listens on now: taken from the OS, then let go. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
