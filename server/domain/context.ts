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
  logger: Logger;
}
