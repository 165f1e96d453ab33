import { loadConfig } from '../../server/config';
import { prepareDemo, type Stdout } from '../../server/demo/prepare';
import { createLogger } from '../../server/logger';
import { createHarness, type Harness } from '../support/domain';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const config = loadConfig({
  ADMIN_API_TOKEN: 'demo-token-0123456789abcdef0123456789',
  PORT: '4567',
});

/** What `npm start` prints for the demo, with stdout a terminal or not. */
async function startUp(isTTY: boolean) {
  const written: string[] = [];
  const logged: string[] = [];
  const stdout: Stdout = {
    isTTY,
    write: (text: string | Uint8Array) => written.push(String(text)) > 0,
  } as Stdout;
  // The same decision the logger makes at start-up: pretty exactly when stdout is a terminal.
  const logger = createLogger('info', { write: (l: string) => logged.push(l) }, { pretty: isTTY });
  await prepareDemo(h.services, config, logger, stdout);
  return { written: written.join(''), logged };
}

// The demo loads into the empty database at the first start-up; the second finds it there.
test('on a terminal the instructions are plain lines; otherwise one JSON log line', async () => {
  const tty = await startUp(true);
  expect(tty.logged).toEqual([]);
  const lines = tty.written.replace(/\n$/, '').split('\n');
  expect(lines).toContain('Accessbot is running with the Woodgrove Bank demo (seed 002 tutorial).');
  expect(
    lines.some((l) => l.startsWith('  curl ') && l.includes('http://localhost:4567/api/v1')),
  ).toBe(true);
  expect(tty.written).not.toContain('"msg"');

  const piped = await startUp(false);
  expect(piped.written).toBe('');
  expect(piped.logged).toHaveLength(1);
  const line = JSON.parse(piped.logged[0]);
  expect(line).toMatchObject({ msg: 'demo data ready', service: 'accessbot' });
  expect(line.instructions).toEqual(lines);
  // The token hint is the variable's name, never the secret itself.
  expect(piped.logged[0]).not.toContain('demo-token-0123456789abcdef0123456789');
  expect(tty.written).not.toContain('demo-token-0123456789abcdef0123456789');
});
