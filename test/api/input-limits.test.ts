import { randomUUID } from 'node:crypto';
import { createApiHarness, requestablePackage, type ApiHarness } from './api-harness';

// Inputs PostgreSQL would refuse with an error of its own (NUL bytes, timestamps out of its
// range, offsets past a bigint) answer 400 naming the field, before any SQL runs.

let api: ApiHarness;
let ids = {} as { catalog: string; pkg: string; user: string; requester: string; policy: string };
beforeAll(async () => {
  api = await createApiHarness();
  const { requester, catalog, pkg, policy } = await requestablePackage(api, {
    allowCustomSchedule: true,
  });
  ids = {
    catalog: catalog.id,
    pkg: pkg.id,
    user: requester.id,
    requester: requester.id,
    policy: policy.id,
  };
});
afterAll(() => api.close());

const NUL = 'Web\u0000project';
const cursorOf = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');

type Case = [
  label: string,
  method: 'get' | 'post' | 'patch',
  path: () => string,
  body: object | undefined,
  field: string,
];

const cases: Case[] = [
  ['a NUL in a name', 'post', () => '/catalogs', { name: NUL }, 'name'],
  [
    'a bell in a description',
    'post',
    () => '/catalogs',
    { name: 'Bells', description: 'ding\u0007' },
    'description',
  ],
  [
    'a NUL in a display name',
    'post',
    () => '/users',
    { displayName: NUL, email: 'nul@woodgrove.example' },
    'displayName',
  ],
  ['a NUL in a package rename', 'patch', () => `/accessPackages/${ids.pkg}`, { name: NUL }, 'name'],
  [
    'a NUL inside resource attributes',
    'post',
    () => `/catalogs/${ids.catalog}/resources`,
    { type: 'm365Group', originId: 'g-nul', displayName: 'G', attributes: { note: NUL } },
    'attributes',
  ],
  [
    'a NUL in a justification',
    'post',
    () => '/assignmentRequests',
    { requestorId: '$requester', packageId: '$pkg', justification: NUL },
    'justification',
  ],
  [
    'a start in the year 200000',
    'post',
    () => '/assignmentRequests',
    {
      requestorId: '$requester',
      packageId: '$pkg',
      justification: 'x',
      start: '+200000-01-01T00:00:00Z',
    },
    'start',
  ],
  [
    'an end before the year 2000',
    'post',
    () => '/assignmentRequests',
    {
      requestorId: '$requester',
      packageId: '$pkg',
      justification: 'x',
      end: '1970-01-01T00:00:00Z',
    },
    'end',
  ],
  [
    'an expiry date past 9999',
    'patch',
    () => `/assignmentPolicies/${ids.policy}`,
    { expiration: { type: 'onDate', date: '+010000-01-01T00:00:00Z' } },
    'expiration.date',
  ],
  ['a huge offset', 'get', () => `/auditEvents?offset=99999999999999999999`, undefined, 'offset'],
  [
    'a huge offset on requests',
    'get',
    () => `/assignmentRequests?offset=1e30`,
    undefined,
    'offset',
  ],
  [
    'a NUL in a browse search',
    'get',
    () => `/users/${ids.user}/accessPackages?text=a%00b`,
    undefined,
    'text',
  ],
  [
    'a NUL inside a browse cursor',
    'get',
    () => `/users/${ids.user}/accessPackages?cursor=${cursorOf(['a\u0000', randomUUID()])}`,
    undefined,
    'cursor',
  ],
  [
    'a cancel reason past 2000 characters',
    'post',
    () => `/assignmentRequests/${randomUUID()}/cancel`,
    { reason: 'x'.repeat(2001) },
    'reason',
  ],
];

/** Bodies name fixtures as '$pkg', '$requester': they exist only once beforeAll has run. */
const withIds = (body: object | undefined) =>
  body &&
  (JSON.parse(
    JSON.stringify(body).replace(/"\$(\w+)"/g, (_, k: keyof typeof ids) => JSON.stringify(ids[k])),
  ) as object);

test.each(cases)('%s is a 400 naming the field', async (_label, method, path, rawBody, field) => {
  const body = withIds(rawBody);
  const call =
    method === 'get'
      ? api.get(path())
      : method === 'post'
        ? api.post(path(), body)
        : api.patch(path(), body!);
  const res = await call;
  expect({ status: res.status, field: res.body.error?.field }).toEqual({ status: 400, field });
  expect(res.body.error.code).toBe('invalid');
});

test('none of them reached the database: no 500 was logged', () => {
  expect(api.log.text).not.toMatch(/"level":50/);
});
