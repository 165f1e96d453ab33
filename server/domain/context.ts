import type { DataSource } from 'typeorm';
import type { Logger } from 'pino';
import type { Clock } from './clock';
import type { Provisioner } from './ports';

/** Everything a domain service needs from outside; passed in, so tests substitute each part. */
export interface DomainContext {
  db: DataSource;
  clock: Clock;
  provisioner: Provisioner;
  /** Lower-case emails of administrators, from the ADMINS setting. */
  admins: ReadonlySet<string>;
  /**
   * Email domains of members (HOME_DOMAINS). Someone new arriving from chat with another
   * domain is an external user. Empty: everyone from chat is a member.
   */
  homeDomains?: readonly string[];
  logger: Logger;
}
