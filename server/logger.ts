import pino from 'pino';
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
  'adminApiToken',
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

/** JSON lines on stdout (or on `destination`, which tests use to read what was logged). */
export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'accessbot' },
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  // pino's default stdout stream is flushed on process exit, so the last lines are not lost.
  return destination ? pino(options, destination) : pino(options);
}
