/** Time is injected so that timeouts, expiry and schedules are testable without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to. */
export class ManualClock implements Clock {
  constructor(private current: Date = new Date('2026-01-05T09:00:00Z')) {}

  now() {
    return new Date(this.current);
  }

  set(at: Date) {
    this.current = new Date(at);
  }

  advance(ms: number) {
    this.current = new Date(this.current.getTime() + ms);
  }
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
