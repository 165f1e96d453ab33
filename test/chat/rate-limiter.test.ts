import {
  RateLimiter,
  SLACK_LIMITS,
  TEAMS_LIMITS,
  withHeadroom,
  type Limit,
} from '../../bot/core/rate-limiter';
import { ManualClock } from '../../server/domain/clock';

// Deterministic delays, so that a failure repeats.
function delays(seed: number) {
  let x = seed;
  return (spread: number) => {
    x = (Math.imul(x, 1_103_515_245) + 12_345) >>> 0;
    return 5 + (x % spread);
  };
}

/** Sends `count` messages as soon as the limiter allows; the times they leave. */
function departures(limits: Limit[], count: number) {
  const clock = new ManualClock();
  const limiter = new RateLimiter(clock);
  const start = clock.now().getTime();
  const times: number[] = [];
  for (let i = 0; i < count; i += 1) {
    clock.advance(limiter.delay([{ key: 'k', limits }]));
    limiter.record(['k']);
    times.push(clock.now().getTime() - start);
  }
  return times;
}

/** The most arrivals the platform sees in any window of each limit. */
function busiest(arrivals: number[], limits: Limit[]) {
  const sorted = [...arrivals].sort((a, b) => a - b);
  return limits.map(({ windowMs }) => {
    let most = 0;
    for (let i = 0; i < sorted.length; i += 1) {
      const inWindow = sorted.filter((t) => t >= sorted[i] && t < sorted[i] + windowMs).length;
      most = Math.max(most, inWindow);
    }
    return most;
  });
}

describe('sending within a platform limit', () => {
  it.each([
    ['a Teams conversation', TEAMS_LIMITS.conversation, 120],
    ['a Teams tenant', TEAMS_LIMITS.tenant, 200],
    ['a Slack workspace', SLACK_LIMITS.tenant, 200],
  ])(
    '%s never sees more than its limit, whatever network delays below the margin do',
    (_, limits, count) => {
      const sent = departures(withHeadroom({ k: limits }).k, count);
      const delay = delays(count);
      for (let trial = 0; trial < 20; trial += 1) {
        const seen = busiest(
          sent.map((t) => t + delay(149)),
          limits,
        );
        seen.forEach((most, i) => expect(most).toBeLessThanOrEqual(limits[i].max));
      }
    },
  );

  it('keeps whole bursts: 60 Slack messages are all sent within 2.5 s', () => {
    const sent = departures(withHeadroom(SLACK_LIMITS).tenant, 60);
    expect(sent.slice(0, 20).every((t) => t === 0)).toBe(true);
    expect(sent[59]).toBeLessThan(2_500);
  });

  it('sending without the margin lets delays push a burst over the limit', () => {
    const sent = departures(SLACK_LIMITS.tenant, 200);
    const delay = delays(7);
    const worst = Math.max(
      ...Array.from(
        { length: 20 },
        () =>
          busiest(
            sent.map((t) => t + delay(149)),
            SLACK_LIMITS.tenant,
          )[0],
      ),
    );
    expect(worst).toBeGreaterThan(SLACK_LIMITS.tenant[0].max);
  });
});
