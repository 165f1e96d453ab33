import { createLogger } from '../../server/logger';

function capture() {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(line) });
  return { logger, logged: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

test('every line names the service', () => {
  const { logger, logged } = capture();
  logger.info('hello');
  expect(logged()).toEqual([expect.objectContaining({ service: 'accessbot', msg: 'hello' })]);
});

test('credentials are redacted wherever we log them', () => {
  const { logger, logged } = capture();
  logger.info({
    req: { headers: { authorization: 'Bearer abc-123', 'x-slack-signature': 'v0=sig-456' } },
    config: { slackBotToken: 'xoxb-789', microsoftAppPassword: 'pw-012', port: 3978 },
    password: 'pw-345',
  });
  const text = JSON.stringify(logged());
  for (const secret of ['abc-123', 'sig-456', 'xoxb-789', 'pw-012', 'pw-345']) {
    expect(text).not.toContain(secret);
  }
  expect(logged()[0]).toMatchObject({ config: { slackBotToken: '[redacted]', port: 3978 } });
});

test('the level filters', () => {
  const lines: string[] = [];
  const logger = createLogger('warn', { write: (line: string) => lines.push(line) });
  logger.info('quiet');
  logger.warn('loud');
  expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['loud']);
});

describe('pretty mode, for a person at a terminal', () => {
  function prettyCapture() {
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      { write: (line: string) => lines.push(line) },
      { pretty: true },
    );
    return { logger, text: () => lines.join('') };
  }

  test('a plain message is one readable line, not JSON', () => {
    const { logger, text } = prettyCapture();
    logger.info('listening');
    expect(text()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO: listening\n$/);
    expect(text()).not.toMatch(/[{}]/);
  });

  test('credentials are redacted as in JSON mode', () => {
    const { logger, text } = prettyCapture();
    logger.info(
      {
        req: { headers: { authorization: 'Bearer abc-123' } },
        config: { slackBotToken: 'xoxb-789', port: 3978 },
        password: 'pw-345',
      },
      'config loaded',
    );
    for (const secret of ['abc-123', 'xoxb-789', 'pw-345']) expect(text()).not.toContain(secret);
    expect(text()).toContain('[redacted]');
    expect(text()).toContain('3978');
  });

  test('the level still filters', () => {
    const lines: string[] = [];
    const logger = createLogger('warn', { write: (l: string) => lines.push(l) }, { pretty: true });
    logger.info('quiet');
    logger.warn('loud');
    expect(lines.join('')).toMatch(/^\[[\d:.]+\] WARN: loud\n$/);
  });

  test('a given destination gets JSON unless pretty is asked for', () => {
    const { logger, logged } = capture();
    logger.info('hello');
    expect(logged()[0].msg).toBe('hello');
  });
});
