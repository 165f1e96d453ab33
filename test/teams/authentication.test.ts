import express from 'express';
import pino from 'pino';
import request from 'supertest';
import { createTeamsAdapter } from '../../bot/teams/adapter';
import { createTeamsRouter } from '../../bot/teams/router';
import { createHarness, type Harness } from '../support/domain';
import { cardAction, message, teamsMember } from '../support/teams/activities';
import { BotAuthServer } from '../support/teams/bot-auth';
import { FakeConnector } from '../support/teams/fake-connector';
import { chatFor } from '../support/teams/harness';

// With MicrosoftAppId set, every activity's JWT is checked by botbuilder against the signing
// keys it fetches (served locally here); nothing a caller sends can skip that.

const APP_ID = '6f1c2b1e-0d3a-4c5b-9e8f-1a2b3c4d5e6f';
let h: Harness;
let auth: BotAuthServer;
let connector: FakeConnector;
let app: express.Express;

beforeAll(async () => {
  h = await createHarness();
  auth = await new BotAuthServer(APP_ID, 'app-password-for-tests').start();
  connector = await new FakeConnector().start();
  const adapter = createTeamsAdapter(
    {
      microsoftAppId: APP_ID,
      microsoftAppPassword: auth.appPassword,
      microsoftAppType: 'MultiTenant',
    },
    { endpoints: auth.endpoints, credentials: auth.credentials() },
  );
  const logger = pino({ level: 'silent' });
  const chat = chatFor(h);
  app = express().use(
    '/api/messages',
    createTeamsRouter({ adapter, chat, logger, authenticated: true }),
  );
});
afterAll(async () => {
  await connector.stop();
  await auth.stop();
  await h.close();
});

function member() {
  const m = teamsMember(
    'Signed Sam',
    `sam.${Math.random().toString(36).slice(2, 7)}@woodgrove.example`,
  );
  connector.members.set(m.id, m);
  return m;
}

test('a correctly signed activity is answered, with a token of our own on the reply', async () => {
  const m = member();
  const before = connector.calls.length;
  await request(app)
    .post('/api/messages')
    .set('Authorization', `Bearer ${auth.sign(connector.url)}`)
    .send(message(m, connector.url, 'help'))
    .expect(200);
  const reply = connector.calls.slice(before).find((c) => c.method === 'POST');
  expect(reply?.authorized).toBe(true);
  expect(auth.tokensIssued.length).toBeGreaterThan(0);
  expect(JSON.stringify(reply?.body)).toContain('Send one of these');
});

test('an invoke is answered in its HTTP response', async () => {
  const res = await request(app)
    .post('/api/messages')
    .set('Authorization', `Bearer ${auth.sign(connector.url)}`)
    .send(cardAction(member(), connector.url, 'packagesSearch', { text: 'web' }))
    .expect(200);
  expect(res.body.type).toBe('application/vnd.microsoft.card.adaptive');
});

test.each([
  ['no token', () => undefined],
  ['an expired token', () => auth.sign(connector.url, { expired: true })],
  ['a token signed by an unknown key', () => auth.sign(connector.url, { foreign: true })],
  ['a token for another bot', () => auth.sign(connector.url, { audience: 'someone-else' })],
  ['a token for another service url', () => auth.sign('https://evil.example/')],
  ['garbage', () => 'not.a.jwt'],
  ['an Emulator token for our app', () => auth.signEmulator()],
])('%s gets 401 and nothing reaches anyone', async (_label, token) => {
  const m = member();
  const before = connector.calls.length;
  const users = await h.db.dataSource.query(`SELECT count(*)::int AS n FROM users`);
  const call = request(app)
    .post('/api/messages')
    .send(message(m, connector.url, 'help'));
  const bearer = token();
  const res = await (bearer ? call.set('Authorization', `Bearer ${bearer}`) : call);
  expect(res.status).toBe(401);
  expect(connector.calls.slice(before)).toEqual([]);
  expect(await h.db.dataSource.query(`SELECT count(*)::int AS n FROM users`)).toEqual(users);
});
