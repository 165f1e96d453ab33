import type { Services } from '../domain/services';

/**
 * The lifecycle's recurring jobs. Agenda only says when to look; each run works off whatever
 * is due in our tables, set-based, batch after batch (`FOR UPDATE SKIP LOCKED`, every change
 * re-checked in its own transaction), so a run on two schedulers at once, or a run repeated
 * after a crash, does each thing once.
 */
export interface LifecycleJob {
  name: string;
  /** One batch; the ids it handled (none: nothing more is due). */
  batch(services: Services): Promise<string[]>;
}

export const LIFECYCLE_JOBS: LifecycleJob[] = [
  {
    name: 'lifecycle: approval timeouts',
    batch: (s) => s.requests.cancelTimedOut(),
  },
  {
    name: 'lifecycle: approval reminders',
    batch: (s) => s.reminders.remindDue(),
  },
  {
    name: 'lifecycle: approval escalation',
    batch: (s) => s.reminders.escalateDue(),
  },
  {
    name: 'lifecycle: scheduled starts',
    batch: (s) => s.assignments.startDue(),
  },
  {
    name: 'lifecycle: extension prompts',
    batch: (s) => s.extensions.promptDue(),
  },
  {
    name: 'lifecycle: expiry',
    batch: (s) => s.assignments.expireDue(),
  },
];

/** Batches until nothing is due; how many items were handled. */
export async function runJob(job: LifecycleJob, services: Services): Promise<number> {
  let total = 0;
  for (let ids = await job.batch(services); ids.length; ids = await job.batch(services)) {
    total += ids.length;
  }
  return total;
}
