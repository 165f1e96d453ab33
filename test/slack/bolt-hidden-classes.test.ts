import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Node 20's V8 gives an object made by a spread a hidden class (map) of its own whenever a
 * property is added to it (`{ ...args, next }`), and those maps pile up in the old generation
 * until a full collection. Unpatched, Bolt made 36 of them for every event: one per middleware
 * and listener call, its context and its client options. bot/slack/patches makes them
 * Object.assign, which reuses one map. V8's map log counts the maps a real Bolt App creates for
 * 50 clicks and for 250: the 200 more must not need more maps.
 */
const SCRIPT = `
const { App } = require('@slack/bolt');
const app = new App({
  receiver: { init() {}, start: async () => {}, stop: async () => {} },
  authorize: async () => ({ botToken: 'xoxb-test', botId: 'B1', botUserId: 'U1', teamId: 'T1' }),
});
app.use(async ({ next }) => { await next(); });
app.command('/access', async ({ ack }) => { await ack(); });
app.view('dialog', async ({ ack }) => { await ack(); });
app.action({ type: 'block_actions' }, async ({ ack }) => { await ack(); });
const click = (n) => ({
  type: 'block_actions',
  team: { id: 'T1' },
  user: { id: 'U2', team_id: 'T1' },
  api_app_id: 'A1',
  trigger_id: 'trigger-' + n,
  response_url: 'https://hooks.slack.invalid/' + n,
  actions: [{ type: 'button', action_id: 'approve#0', block_id: 'b', value: String(n), action_ts: '1' }],
});
(async () => {
  for (let n = 0; n < Number(process.argv[1]); n++) {
    await app.processEvent({ body: click(n), ack: async () => {} });
  }
})();
`;

function mapsMadeFor(clicks: number): number {
  const log = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bolt-maps-')), 'v8.log');
  const run = spawnSync(
    process.execPath,
    [
      '--log-maps',
      '--no-log-maps-details',
      '--no-logfile-per-isolate',
      `--logfile=${log}`,
      '-e',
      SCRIPT,
      String(clicks),
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  expect(run.stderr).toBe('');
  const made = fs.readFileSync(log, 'latin1').match(/^map-create,/gm)?.length ?? 0;
  fs.rmSync(path.dirname(log), { recursive: true });
  return made;
}

test('Bolt makes no new hidden class per event', () => {
  const few = mapsMadeFor(50);
  const many = mapsMadeFor(250);
  expect(few).toBeGreaterThan(1000);
  expect(many - few).toBeLessThan(20);
});
