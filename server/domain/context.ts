import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Clock } from './clock';
import type { Notifier, Provisioner } from './ports';

/** Everything a domain service needs from outside; passed in, so tests substitute each part. */
export interface DomainContext {
  db: DataSource;
  clock: Clock;
  notifier: Notifier;
  provisioner: Provisioner;
  /** Lower-case emails of administrators, from the ADMINS setting. */
  admins: ReadonlySet<string>;
  logger: Logger;
}

/** Delivers after commit; a failed chat delivery is logged and never undoes a decision. */
export async function notifySafely(ctx: DomainContext, ...args: Parameters<Notifier['notify']>) {
  try {
    await ctx.notifier.notify(...args);
  } catch (err) {
    ctx.logger.warn({ err, kind: args[0].kind }, 'notification failed');
  }
}
