import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { ENTITIES } from './entities';
import { InitialSchema1764000000000 } from './migrations/1764000000000-initial-schema';
import { AuditChannel1764100000000 } from './migrations/1764100000000-audit-channel';
import { ExportOrderIndexes1764200000000 } from './migrations/1764200000000-export-order-indexes';
import { DownloadLinks1764400000000 } from './migrations/1764400000000-download-links';
import { Outbox1764300000000 } from './migrations/1764300000000-outbox';
import { FulfillmentActions1764500000000 } from './migrations/1764500000000-fulfillment-actions';
import { Scheduler1764600000000 } from './migrations/1764600000000-scheduler';
import { ApprovalReminders1764700000000 } from './migrations/1764700000000-approval-reminders';
import { ManualTasks1764800000000 } from './migrations/1764800000000-manual-tasks';
import { Extensions1764900000000 } from './migrations/1764900000000-extensions';
import { SlackUserGroups1765000000000 } from './migrations/1765000000000-slack-user-groups';
import { HomeDeliveries1765000400000 } from './migrations/1765000400000-home-deliveries';
import { InboundEvents1765050000000 } from './migrations/1765050000000-inbound-events';
import { NotifyAfterCommit1765100000000 } from './migrations/1765100000000-notify-after-commit';
import { SnakeNamingStrategy } from './naming-strategy';

export const MIGRATIONS = [
  InitialSchema1764000000000,
  AuditChannel1764100000000,
  ExportOrderIndexes1764200000000,
  Outbox1764300000000,
  DownloadLinks1764400000000,
  FulfillmentActions1764500000000,
  Scheduler1764600000000,
  ApprovalReminders1764700000000,
  ManualTasks1764800000000,
  Extensions1764900000000,
  SlackUserGroups1765000000000,
  HomeDeliveries1765000400000,
  InboundEvents1765050000000,
  NotifyAfterCommit1765100000000,
];

export interface DataSourceOptions {
  url: string;
  poolSize?: number;
  applicationName?: string;
}

export function createDataSource({
  url,
  poolSize = 10,
  applicationName = 'accessbot',
}: DataSourceOptions) {
  return new DataSource({
    type: 'postgres',
    url,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTransactionMode: 'all',
    synchronize: false,
    namingStrategy: new SnakeNamingStrategy(),
    logging: false,
    applicationName,
    extra: { max: poolSize },
  });
}

// Any key: all replicas agree on it, so only one of them migrates at a time.
const MIGRATION_LOCK_KEY = 7_321_004_211;

/**
 * Applies pending migrations; safe when several replicas start at once. One pooled connection
 * holds the lock while TypeORM migrates on another, so the pool needs at least two.
 */
export async function migrate(dataSource: DataSource): Promise<string[]> {
  const poolSize = (dataSource.options.extra as { max?: number } | undefined)?.max ?? 10;
  if (poolSize < 2) throw new Error('migrate() needs a connection pool of at least 2.');
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    const applied = await dataSource.runMigrations({ transaction: 'all' });
    return applied.map((m) => m.name);
  } finally {
    await runner
      .query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY])
      .catch(() => undefined);
    await runner.release();
  }
}
