/** Where the host's knex connects, as `host:port`, for errors that must say what did not answer. */
export function connectionTarget(config: unknown): string {
  const connection = (config as { connection?: unknown } | null)?.connection;
  if (typeof connection === 'string') return fromUrl(connection);
  if (typeof connection === 'object' && connection !== null) {
    const { connectionString, host, port } = connection as { connectionString?: unknown; host?: unknown; port?: unknown };
    if (typeof connectionString === 'string') return fromUrl(connectionString);
    if (typeof host === 'string') return `${host}:${typeof port === 'number' || typeof port === 'string' ? port : 5432}`;
  }
  return 'the configured PostgreSQL server';
}

function fromUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname || 'localhost'}:${parsed.port || 5432}`;
  } catch {
    return 'the configured PostgreSQL server';
  }
}
