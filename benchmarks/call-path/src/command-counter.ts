import type { Redis } from 'ioredis';

/** Counts the commands a client sends (the stores' subscribers have connections of their own: they are not counted). */
export function countCommands(redis: Redis): { readonly sent: number } {
  const counter = { sent: 0 };
  const sendCommand = redis.sendCommand.bind(redis);
  redis.sendCommand = ((...args: Parameters<typeof sendCommand>) => {
    counter.sent++;
    return sendCommand(...args);
  }) as typeof redis.sendCommand;
  return counter;
}
