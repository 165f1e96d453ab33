import { PostgresBackend } from '@agendajs/postgres-backend';
import { Agenda } from 'agenda';
import type { Logger } from 'pino';
import type { Services } from '../domain/services';
import { LIFECYCLE_JOBS, runJob } from './jobs';

export interface SchedulerOptions {
  services: Services;
  databaseUrl: string;
  logger: Logger;
  /** How often each lifecycle job runs. */
  every?: string;
  /** How often Agenda looks for due jobs. */
  processEvery?: string | number;
  /**
   * How long a job stays locked to the scheduler running it: after a crash, another takes it
   * over once this has passed. Longer than a run takes; Agenda keeps a timer of half of it.
   */
  lockLifetime?: number;
  /** How long shutdown waits for a running job before leaving it to another scheduler. */
  drainMs?: number;
}

export interface Scheduler {
  agenda: Agenda;
  /** Starts running the jobs, and puts their schedule in the table if it is not there. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Agenda on the app's PostgreSQL, in every server process and in `npm run worker`. Its
 * `every()` jobs are single rows (a unique index), so replicas share one schedule; a job is
 * locked to one scheduler at a time, and the work it does is exactly-once by itself anyway.
 */
export async function startScheduler(o: SchedulerOptions): Promise<Scheduler> {
  const scheduler = createScheduler(o);
  await scheduler.start();
  return scheduler;
}

/** The scheduler, not yet started: listeners can be attached to its Agenda first. */
export function createScheduler(o: SchedulerOptions): Scheduler {
  const logger = o.logger.child({ component: 'scheduler' });
  const lockLifetime = o.lockLifetime ?? 10 * 60_000;
  const agenda = new Agenda({
    // Its own small pool: a job's work goes through the services' pool.
    backend: new PostgresBackend({
      ensureSchema: false,
      poolConfig: { connectionString: o.databaseUrl, max: 2 },
    }),
    processEvery: o.processEvery ?? '10 seconds',
    defaultLockLifetime: lockLifetime,
  });
  agenda.on('error', (err) => logger.error({ err }, 'scheduler error'));
  for (const job of LIFECYCLE_JOBS) {
    agenda.define(
      job.name,
      async () => {
        const handled = await runJob(job, o.services);
        if (handled) logger.info({ job: job.name, handled }, 'lifecycle job done');
      },
      { concurrency: 1, lockLifetime },
    );
  }
  agenda.on('fail', (err: Error | string, job: { attrs: { name: string } }) =>
    logger.error({ err, job: job.attrs.name }, 'lifecycle job failed'),
  );
  return {
    agenda,
    async start() {
      await agenda.start();
      for (const job of LIFECYCLE_JOBS) await agenda.every(o.every ?? '1 minute', job.name);
    },
    async stop() {
      await agenda.drain({ timeout: o.drainMs ?? 5_000 }).catch(() => undefined);
      await agenda.stop();
    },
  };
}
