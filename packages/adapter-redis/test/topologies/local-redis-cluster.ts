/**
 * A real Redis Cluster on loopback, started by the test: 3 masters and 3 replicas (`redis-server
 * --cluster-enabled yes`, joined with `redis-cli --cluster create … --cluster-replicas 1`), with a short
 * node timeout so that a killed master fails over in a few seconds.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { Cluster, type ClusterOptions } from 'ioredis';
import { LocalRedisServer, freePorts, requireRedisServer, until } from './local-redis-server.js';

/** How long a master may be unreachable before its replica takes over. */
export const CLUSTER_NODE_TIMEOUT_MS = 1_000;

export class LocalRedisCluster {
  private readonly clients: Cluster[] = [];

  private constructor(readonly nodes: LocalRedisServer[]) {}

  static async start(): Promise<LocalRedisCluster> {
    requireRedisServer();
    // Every node's port and its cluster bus port (the default, port + 10000, may be taken or past 65535), all
    // taken at once so that no two are the same.
    const ports = await freePorts(12);
    const nodes = await Promise.all(
      ports.slice(0, 6).map((port, index) =>
        LocalRedisServer.start({
          port,
          config: [
            'cluster-enabled yes',
            'cluster-config-file nodes.conf',
            `cluster-node-timeout ${CLUSTER_NODE_TIMEOUT_MS}`,
            `cluster-port ${ports[6 + index]!}`,
          ],
        }),
      ),
    );
    const cluster = new LocalRedisCluster(nodes);
    try {
      const addresses = nodes.map((node) => `127.0.0.1:${node.port}`);
      await promisify(execFile)('redis-cli', ['--cluster', 'create', ...addresses, '--cluster-replicas', '1', '--cluster-yes']);
      await until('every node to see a healthy cluster of 6', async () => {
        const infos = await Promise.all(nodes.map((node) => node.command('CLUSTER', 'INFO') as Promise<string>));
        return infos.every((info) => info.includes('cluster_state:ok') && info.includes('cluster_known_nodes:6'));
      });
      await until('every replica to be in sync with its master', async () => {
        const roles = await Promise.all(nodes.map((node) => node.command('INFO', 'replication') as Promise<string>));
        const replicas = roles.filter((info) => info.includes('role:slave'));
        return replicas.length === 3 && replicas.every((info) => info.includes('master_link_status:up'));
      });
    } catch (error) {
      await cluster.stop();
      throw error;
    }
    return cluster;
  }

  /** A host's ioredis Cluster client on this cluster; quit by `stop()`. */
  client(options: ClusterOptions = {}): Cluster {
    const client = new Cluster(
      this.nodes.map((node) => node.address),
      options,
    );
    client.on('error', () => {});
    this.clients.push(client);
    return client;
  }

  /** The node that serves `key`'s slot now (the master, per CLUSTER SHARDS as a running node sees it). */
  async masterOf(key: string): Promise<LocalRedisServer> {
    const live = this.nodes.filter((node) => node.running);
    const slot = Number(await live[0]!.command('CLUSTER', 'KEYSLOT', key));
    for (const node of live) {
      const info = (await node.command('INFO', 'replication')) as string;
      if (!info.includes('role:master')) continue;
      const slots = await this.slotsOf(node);
      if (slots.some(([from, to]) => slot >= from && slot <= to)) return node;
    }
    throw new Error(`no running master serves slot ${slot}`);
  }

  /** The replicas of a master, as the master reports them (INFO replication: slaveN:ip=…,port=…). */
  async replicasOf(master: LocalRedisServer): Promise<LocalRedisServer[]> {
    const info = (await master.command('INFO', 'replication')) as string;
    const ports = [...info.matchAll(/^slave\d+:ip=[^,]+,port=(\d+)/gm)].map((match) => Number(match[1]));
    return this.nodes.filter((node) => ports.includes(node.port));
  }

  async stop(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((client) => client.quit().catch(() => client.disconnect())));
    await Promise.all(this.nodes.map((node) => node.stop()));
  }

  /** The slot ranges a node serves, from its own CLUSTER SLOTS view matched by port. */
  private async slotsOf(node: LocalRedisServer): Promise<[number, number][]> {
    const slots = (await node.command('CLUSTER', 'SLOTS')) as [number, number, [string, number, ...unknown[]], ...unknown[]][];
    return slots.filter(([, , master]) => Number(master[1]) === node.port).map(([from, to]) => [from, to]);
  }
}
