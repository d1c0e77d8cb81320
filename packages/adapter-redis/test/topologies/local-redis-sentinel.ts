/**
 * Redis with Sentinel on loopback, started by the test: one master, one replica and three sentinels
 * (`redis-server <conf> --sentinel`, quorum 2), with a short down-after so that a killed master fails
 * over in a few seconds.
 */
import { randomBytes } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';
import { LocalRedisServer, freePorts, requireRedisServer, until } from './local-redis-server.js';

export const MASTER_NAME = 'breakwater';
/** How long the master may be unreachable before the sentinels call it down. */
export const SENTINEL_DOWN_AFTER_MS = 1_000;

export class LocalRedisSentinel {
  private readonly clients: Redis[] = [];

  private constructor(
    readonly master: LocalRedisServer,
    readonly replica: LocalRedisServer,
    readonly sentinels: LocalRedisServer[],
  ) {}

  static async start(): Promise<LocalRedisSentinel> {
    requireRedisServer();
    const master = await LocalRedisServer.start();
    const started: LocalRedisServer[] = [master];
    try {
      const replica = await LocalRedisServer.start({ config: [`replicaof 127.0.0.1 ${master.port}`] });
      started.push(replica);
      await until('the replica to sync', async () =>
        ((await replica.command('INFO', 'replication')) as string).includes('master_link_status:up'),
      );
      // Each sentinel is told its peers and the replica up front, as a sentinel's rewritten config would
      // say, rather than learning them from hello messages every 2 s: the group is ready in a second.
      const peers = (await freePorts(3)).map((port) => ({ port, id: randomBytes(20).toString('hex') }));
      const sentinels = await Promise.all(
        peers.map((self) =>
          LocalRedisServer.start({
            port: self.port,
            sentinel: true,
            config: [
              `sentinel myid ${self.id}`,
              `sentinel monitor ${MASTER_NAME} 127.0.0.1 ${master.port} 2`,
              `sentinel down-after-milliseconds ${MASTER_NAME} ${SENTINEL_DOWN_AFTER_MS}`,
              `sentinel failover-timeout ${MASTER_NAME} 10000`,
              `sentinel parallel-syncs ${MASTER_NAME} 1`,
              `sentinel known-replica ${MASTER_NAME} 127.0.0.1 ${replica.port}`,
              ...peers
                .filter((peer) => peer !== self)
                .map((peer) => `sentinel known-sentinel ${MASTER_NAME} 127.0.0.1 ${peer.port} ${peer.id}`),
            ],
          }),
        ),
      );
      started.push(...sentinels);
      // A failover needs the sentinels to know each other (for the vote) and the replica (to promote it).
      await until('the sentinels to know each other and the replica', async () => {
        for (const sentinel of sentinels) {
          const peers = (await sentinel.command('SENTINEL', 'SENTINELS', MASTER_NAME)) as unknown[];
          const replicas = (await sentinel.command('SENTINEL', 'REPLICAS', MASTER_NAME)) as unknown[];
          if (peers.length < 2 || replicas.length < 1) return false;
        }
        return true;
      });
      return new LocalRedisSentinel(master, replica, sentinels);
    } catch (error) {
      await Promise.all(started.map((server) => server.stop()));
      throw error;
    }
  }

  /** A host's ioredis client that finds the master through the sentinels; quit by `stop()`. */
  client(options: RedisOptions = {}): Redis {
    const client = new Redis({ sentinels: this.sentinels.map((sentinel) => sentinel.address), name: MASTER_NAME, ...options });
    client.on('error', () => {});
    this.clients.push(client);
    return client;
  }

  /** The master's port as the sentinels report it now. */
  async masterPort(): Promise<number> {
    const [, port] = (await this.sentinels[0]!.command('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as [string, string];
    return Number(port);
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((client) => client.quit().catch(() => client.disconnect())));
    await Promise.all([this.master, this.replica, ...this.sentinels].map((server) => server.stop()));
  }
}
