/**
 * A redis-server process of the test's own, on a free loopback port, in a temp dir of its own: the
 * topology tests build clusters and sentinel groups from these, kill them (a crash, SIGKILL) and stop
 * them afterwards. Every server still running when the test process exits is killed then too, so a
 * failed test leaves none behind.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

const running = new Set<LocalRedisServer>();
process.once('exit', () => {
  for (const server of running) server.kill();
});

/** Fails with what to install when the binary is missing, rather than with a spawn error. */
export function requireRedisServer(): void {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
  } catch {
    throw new Error('redis-server is not on PATH: the topology tests start their own (apt-get install -y redis-server)');
  }
}

/**
 * Ports nothing listens on right now, taken from the OS and let go, all different: each is held until all are
 * taken (one let go before the next is asked for may come back again, and two servers would then share it).
 */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => net.createServer());
  try {
    for (const server of servers) {
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
    }
    return servers.map((server) => (server.address() as net.AddressInfo).port);
  } finally {
    await Promise.all(
      servers.map((server) => new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()))),
    );
  }
}

/** A port nothing listens on right now, taken from the OS and let go. */
async function freePort(): Promise<number> {
  const [port] = await freePorts(1);
  return port!;
}

export interface LocalRedisServerOptions {
  /** Default: a free port. */
  port?: number;
  /** Extra configuration lines (`replicaof 127.0.0.1 7001`, `cluster-enabled yes`, …). */
  config?: string[];
  /** Run as a sentinel (`redis-server <conf> --sentinel`). */
  sentinel?: boolean;
}

export class LocalRedisServer {
  private process: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly options: LocalRedisServerOptions,
  ) {}

  /** Starts a server and resolves once it answers PING. */
  static async start(options: LocalRedisServerOptions = {}): Promise<LocalRedisServer> {
    const server = new LocalRedisServer(options.port ?? (await freePort()), mkdtempSync(join(tmpdir(), 'bw-redis-')), options);
    await server.launch();
    return server;
  }

  get address(): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.port };
  }

  get running(): boolean {
    return this.process !== null;
  }

  /** A client of the test's own on this server (not through any topology); the caller quits it. */
  connect(): Redis {
    const client = new Redis({ ...this.address, lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    client.on('error', () => {});
    return client;
  }

  /** Runs `work` on a short-lived connection of the test's own. */
  async session<T>(work: (client: Redis) => Promise<T>): Promise<T> {
    const client = this.connect();
    try {
      await client.connect();
      return await work(client);
    } finally {
      client.disconnect();
    }
  }

  /** One command on a short-lived connection. */
  command(...args: [string, ...(string | number)[]]): Promise<unknown> {
    return this.session((client) => client.call(...args));
  }

  /** A read on this node even when it is a Cluster replica (READONLY first; a replica would answer MOVED otherwise). */
  readOnly(...args: [string, ...(string | number)[]]): Promise<unknown> {
    return this.session(async (client) => {
      await client.call('READONLY');
      return client.call(...args);
    });
  }

  /** The names of the client connections open on this server (CLIENT LIST), unnamed ones as ''. */
  async connectionNames(): Promise<string[]> {
    const list = (await this.command('CLIENT', 'LIST')) as string;
    return list
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => / name=(\S*) /.exec(line)?.[1] ?? '');
  }

  /** Closes, server side, the connections of this name (CLIENT KILL ID); how many there were. */
  async killConnectionsNamed(name: string): Promise<number> {
    const list = (await this.command('CLIENT', 'LIST')) as string;
    const ids = list
      .split('\n')
      .filter((line) => line.includes(` name=${name} `))
      .map((line) => /^id=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => id !== undefined);
    for (const id of ids) await this.command('CLIENT', 'KILL', 'ID', id);
    return ids.length;
  }

  /** A crash: SIGKILL, nothing saved, connections dropped. */
  kill(): void {
    this.process?.kill('SIGKILL');
    this.process = null;
    running.delete(this);
  }

  /** Kills it (if running) and waits until the process is gone. */
  async crash(): Promise<void> {
    const exited = this.exited;
    this.kill();
    await exited;
  }

  /** Starts it again on the same port and dir (its config, as the server may have rewritten it). */
  async restart(): Promise<void> {
    await this.crash();
    await this.launch(false);
  }

  /** Stops the server and removes its dir. */
  async stop(): Promise<void> {
    await this.crash();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async launch(writeConfig = true): Promise<void> {
    const configFile = join(this.dir, 'redis.conf');
    if (writeConfig) {
      const base = [
        `port ${this.port}`,
        'bind 127.0.0.1',
        `dir ${this.dir}`,
        'save ""',
        'appendonly no',
        // A replica's first sync starts at once, rather than after Redis' default 5 s wait for more replicas.
        'repl-diskless-sync-delay 0',
        `logfile ${join(this.dir, 'redis.log')}`,
      ];
      writeFileSync(configFile, [...base, ...(this.options.config ?? [])].join('\n') + '\n');
    }
    const child = spawn('redis-server', this.options.sentinel ? [configFile, '--sentinel'] : [configFile], { stdio: 'ignore' });
    this.process = child;
    running.add(this);
    this.exited = new Promise((resolve) =>
      child.once('exit', () => {
        if (this.process === child) this.process = null;
        running.delete(this);
        resolve();
      }),
    );
    const deadline = Date.now() + 10_000;
    for (;;) {
      try {
        if ((await this.command('PING')) === 'PONG') return;
      } catch {
        // not listening yet
      }
      if (this.process !== child) throw new Error(`redis-server on port ${this.port} exited at start (see ${this.dir}/redis.log)`);
      if (Date.now() > deadline) throw new Error(`redis-server on port ${this.port} did not answer within 10 s`);
      await sleep(20);
    }
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls until `condition` holds, or fails naming what it waited for. */
export async function until(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await condition()) return;
    } catch {
      // not yet: a node may still be starting or failing over
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}
