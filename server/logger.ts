import pino from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { LogLevel } from './config';

export type Logger = pino.Logger;

// Credentials must never reach the logs, even when a whole object is logged by mistake.
// Paths are exact (pino's `*` matches one level), so list the shapes we actually produce:
// HTTP requests, configs and errors from clients that carry their options.
const SECRET_KEYS = [
  'password',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'clientSecret',
  'signingSecret',
  'apiKey',
  'microsoftAppPassword',
  'slackSigningSecret',
  'slackBotToken',
  'slackAppToken',
  'apiTokens',
  'databaseUrl',
];

export const REDACT_PATHS = [
  'authorization',
  'headers.authorization',
  'headers.cookie',
  'headers["x-slack-signature"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-slack-signature"]',
  'config.headers.Authorization',
  'config.headers.authorization',
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
];

export interface LoggerOptions {
  /**
   * Readable lines for a person rather than JSON for a collector. By default, when writing to
   * stdout and stdout is a terminal.
   */
  pretty?: boolean;
}

/** JSON lines on stdout (or on `destination`, which tests use to read what was logged). */
export function createLogger(
  level: LogLevel,
  destination?: pino.DestinationStream,
  { pretty = !destination && process.stdout.isTTY === true }: LoggerOptions = {},
): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'accessbot' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  if (pretty) return pino(options, prettyStream(destination));
  // pino's default stdout stream is flushed on process exit, so the last lines are not lost.
  return destination ? pino(options, destination) : pino(options);
}

/**
 * pino-pretty's formatter in this thread rather than its worker transport: a line is written
 * before the call returns, so a fatal error's line is on screen before process.exit. Redaction
 * has already happened: the formatter gets the line pino would have written.
 */
function prettyStream(destination?: pino.DestinationStream): pino.DestinationStream {
  const format = prettyFactory({
    translateTime: 'SYS:HH:MM:ss.l',
    ignore: 'service',
    // On a terminal, colours unless NO_COLOR says otherwise (pino-pretty's default); elsewhere none.
    ...(destination && { colorize: false }),
  });
  const out = destination ?? pino.destination({ dest: 1, sync: true });
  return { write: (line: string) => out.write(format(line)) };
}
