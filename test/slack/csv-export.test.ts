import { ADMIN_EMAIL, packageWithPolicy } from '../support/domain';
import { createSlackHarness, type SlackHarness } from '../support/slack/harness';
import { buttonsOf, click, slash as slashFrom } from '../support/slack/payloads';

// `requests` and `assignments` with --csv (or more rows than a card shows): in Slack the CSV
// goes into the admin's DM with the app through files.uploadV2, and the reply says so; if the
// upload fails, the reply carries the download link instead.

let t: SlackHarness;
beforeAll(async () => {
  t = await createSlackHarness();
});
afterAll(() => t.close());

const slash = (userId: string, text: string) => slashFrom(t, userId, text).sent;

async function person(id: string, name: string, email: string) {
  t.slack.add({ id, teamId: 'T1', name, email, emailConfirmed: true });
  return t.user(name, { email });
}

const lastWords = () => JSON.stringify(t.slack.responses.at(-1)?.blocks);
const uploadCalls = () => t.slack.calls.filter((c) => c.method.startsWith('files.'));

let made = 0;
async function packageWithRequests() {
  const k = ++made;
  const approver = await t.user(`Approver ${k}`);
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvers: [{ userId: approver.id }],
  });
  let requester;
  for (const why of ['quarter close', '=HYPERLINK("evil")']) {
    requester = await t.user(`Requester ${k}${why.length}`);
    await t.services.requests.submit(await t.actor(requester), {
      packageId: pkg.id,
      justification: why,
    });
  }
  return { pkg, requester: requester! };
}

test('an admin gets the CSV of requests in their DM, with every row from the database', async () => {
  await person('UADMIN', 'Admin One', ADMIN_EMAIL);
  const { pkg, requester } = await packageWithRequests();

  await slash('UADMIN', `requests "${pkg.name}" --csv`).expect(200);

  expect(t.slack.uploads).toHaveLength(1);
  const [upload] = t.slack.uploads;
  expect(upload.channel).toBe('D-UADMIN');
  expect(upload.filename).toMatch(/^requests-[a-z0-9-]+-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(upload.length).toBe(Buffer.byteLength(upload.content!));
  const numbers: Array<{ number: string }> = await t.db.dataSource.query(
    `SELECT number FROM access_requests WHERE package_id = $1 ORDER BY number DESC`,
    [pkg.id],
  );
  const lines = upload.content!.trim().split('\n');
  expect(lines[0]).toMatch(/^number,state,type,packageName,/);
  expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(numbers.map((r) => String(r.number)));
  expect(upload.content).toContain(requester.email);
  expect(upload.content).toContain('quarter close');
  // A requester's formula is defused, as in the download.
  expect(upload.content).toContain(`"'=HYPERLINK(""evil"")"`);
  // The three steps of files.uploadV2, the DM opened first.
  expect(t.slack.calls.map((c) => c.method).slice(-3)).toEqual([
    'conversations.open',
    'files.getUploadURLExternal',
    'files.completeUploadExternal',
  ]);

  expect(t.slack.responses.at(-1)!.response_type).toBe('ephemeral');
  expect(lastWords()).toContain(`I sent you ${upload.filename} in our direct messages.`);
  expect(lastWords()).not.toContain('/downloads/');
});

test('assignments export the same way', async () => {
  const before = t.slack.uploads.length;
  const { pkg } = await packageWithPolicy(t, {
    requestorScope: 'allMembers',
    approvalRequired: false,
  });
  const holder = await person('UHOLD', 'Holder', 'holder@woodgrove.example');
  await t.services.requests.submit(await t.actor(holder), {
    packageId: pkg.id,
    justification: 'x',
  });

  await slash('UADMIN', `assignments "${pkg.name}" --csv`).expect(200);
  const upload = t.slack.uploads[before];
  expect(upload.filename).toMatch(/^assignments-/);
  expect(upload.content).toContain('holder@woodgrove.example');
});

test('someone who may not see the requests is refused by the domain, and nothing is uploaded', async () => {
  const { pkg } = await packageWithRequests();
  await person('UPLAIN', 'Plain Member', 'plain@woodgrove.example');
  const before = { uploads: t.slack.uploads.length, calls: uploadCalls().length };

  await slash('UPLAIN', `requests "${pkg.name}" --csv`).expect(200);

  expect(lastWords()).toMatch(/permission|not allowed|can't|cannot/i);
  expect(t.slack.uploads).toHaveLength(before.uploads);
  expect(uploadCalls()).toHaveLength(before.calls);
});

test('when the upload fails, the reply carries the download link instead', async () => {
  const { pkg } = await packageWithRequests();
  t.slack.refuseUploads = true;
  try {
    await slash('UADMIN', `requests "${pkg.name}" --csv`).expect(200);
  } finally {
    t.slack.refuseUploads = false;
  }
  expect(lastWords()).toMatch(/http:\/\/accessbot\.test\/downloads\/[\w-]{43}/);
  expect(lastWords()).not.toContain('I sent you');

  // Slack reports a click on the link button too: it is acked at once, and the reply stays.
  const link = buttonsOf(t.slack.responses.at(-1)!.blocks).find((e) => typeof e.url === 'string')!;
  expect(link.action_id).toMatch(/^open#\d+$/);
  const answered = t.slack.responses.length;
  const calls = t.slack.calls.length;
  await click(t, 'UADMIN', link as { action_id: string; value: string }).sent.expect(200);
  expect(t.slack.responses).toHaveLength(answered);
  expect(t.slack.calls).toHaveLength(calls);
});
