/**
 * A pino-compatible logger (each level takes `(message)` or `(fields, message)`) writing one
 * readable line per entry, so Breakwater's log lines (docs/manual-resume.md) show as they are while the app runs.
 * A host with pino passes its own logger instead.
 */
import type { LogFn, Logger } from '@breakwater/core';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

type Level = Exclude<LogLevel, 'silent'>;

export interface ConsoleLoggerOptions {
  level?: LogLevel;
  /** Where lines go; default stdout for debug/info and stderr for warn/error. */
  write?: (level: Level, line: string) => void;
  /** Put before every message, e.g. `[breakwater]`. */
  prefix?: string;
  /** Print the structured fields after the message; default true. */
  showFields?: boolean;
}

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

function defaultWrite(level: Level, line: string): void {
  if (level === 'warn' || level === 'error') process.stderr.write(`${line}\n`);
  else process.stdout.write(`${line}\n`);
}

/** `err` fields become their message (pino's convention); everything else is compact JSON. */
function formatFields(fields: Record<string, unknown>): string {
  const entries = Object.entries(fields).map(([key, value]) => [key, value instanceof Error ? value.message : value] as const);
  if (entries.length === 0) return '';
  return ` ${JSON.stringify(Object.fromEntries(entries))}`;
}

export function consoleLogger(options: ConsoleLoggerOptions = {}): Logger {
  const threshold = RANK[options.level ?? 'info'];
  const write = options.write ?? defaultWrite;
  const prefix = options.prefix ? `${options.prefix} ` : '';
  const showFields = options.showFields ?? true;
  const at = (level: Level): LogFn =>
    ((fieldsOrMessage: Record<string, unknown> | string, message?: string) => {
      if (RANK[level] < threshold) return;
      const time = new Date().toISOString().slice(11, 23);
      const text =
        typeof fieldsOrMessage === 'string' ? fieldsOrMessage : `${message ?? ''}${showFields ? formatFields(fieldsOrMessage) : ''}`;
      write(level, `${time} ${level.toUpperCase().padEnd(5)} ${prefix}${text}`);
    }) as LogFn;
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
