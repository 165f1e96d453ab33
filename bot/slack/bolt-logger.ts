import { LogLevel, type Logger as BoltLogger } from '@slack/bolt';
import type { Logger } from 'pino';

/** Bolt's logger interface over pino. */
export function boltLogger(logger: Logger): BoltLogger {
  return {
    debug: (...m) => logger.debug(m.join(' ')),
    info: (...m) => logger.info(m.join(' ')),
    warn: (...m) => logger.warn(m.join(' ')),
    error: (...m) => logger.error(m.join(' ')),
    setLevel: () => undefined,
    getLevel: () => LogLevel.INFO,
    setName: () => undefined,
  };
}
