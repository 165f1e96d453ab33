import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PEOPLE, playgroundConfig } from './config';

/**
 * `npm run playground -- <person>`: opens the Agents Playground against the running bot as
 * one of the demo's people (user1 requests, admin1 approves), with no Microsoft account.
 * The bot must run without MicrosoftAppId (`npm start`), which it accepts from this machine.
 */
const who = process.argv[2] ?? 'user1';
if (!PEOPLE[who]) {
  process.stderr.write(`Usage: npm run playground -- <${Object.keys(PEOPLE).join('|')}>\n`);
  process.exit(1);
}
const botPort = Number(process.env.PORT ?? 3978);
const port = 56150 + Object.keys(PEOPLE).indexOf(who);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), `accessbot-playground-${who}-`));
fs.writeFileSync(path.join(dir, '.m365agentsplayground.yml'), playgroundConfig(who));
const cli = require.resolve('@microsoft/m365agentsplayground/cli.js');
process.stdout.write(`Agents Playground as ${PEOPLE[who].name}: http://localhost:${port}\n`);
const child = spawn(
  process.execPath,
  [
    cli,
    '-e',
    `http://127.0.0.1:${botPort}/api/messages`,
    '-c',
    'msteams',
    '-p',
    String(port),
    '--disable-telemetry',
  ],
  { cwd: dir, stdio: 'inherit', env: { ...process.env, TEAMSAPPTESTER_BROWSER: 'none' } },
);
child.on('exit', (code) => process.exit(code ?? 0));
