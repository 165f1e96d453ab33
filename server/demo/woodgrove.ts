import { AccessPackage } from '../../db/entities';
import { SYSTEM } from '../domain/actor';
import { policyInputSchema } from '../domain/policy-settings';
import type { Services } from '../domain/services';

export const DEMO = {
  admin: { displayName: 'Admin1', email: 'admin1@woodgrove.example' },
  user: { displayName: 'User1', email: 'user1@woodgrove.example' },
  resource: 'Engineering Group',
  package: 'Web project access package',
  policy: 'Internal user policy',
} as const;

export interface DemoData {
  adminId: string;
  userId: string;
  packageId: string;
  policyId: string;
}

/**
 * The seed 002 tutorial (Woodgrove Bank): User1 may request the "Web project access package",
 * Admin1 approves, access lasts 30 days. Loaded only into a database with no access packages.
 */
export async function loadDemoData(services: Services): Promise<DemoData | null> {
  const { db } = services.ctx;
  if (await db.manager.exists(AccessPackage)) return existingDemo(services);
  const admin1 = await services.directory.createUser(SYSTEM, { ...DEMO.admin, kind: 'internal' });
  const user1 = await services.directory.createUser(SYSTEM, { ...DEMO.user, kind: 'internal' });
  const general = await services.catalogs.general();
  // Owner of the catalog: the one who gets the demo's by-hand provisioning tasks.
  await services.catalogs.setRole(SYSTEM, general.id, admin1.id, 'catalogOwner', true);
  const group = await services.resources.add(SYSTEM, general.id, {
    type: 'm365Group',
    originId: 'engineering-group',
    displayName: DEMO.resource,
    description: 'Security group of the Engineering web project.',
    // Nothing to connect to in a demo: Admin1 gets a card to add the member by hand.
    attributes: { connector: 'manual' },
  });
  const pkg = await services.packages.create(SYSTEM, {
    catalogId: general.id,
    name: DEMO.package,
    description: 'Access package for the Engineering web project',
    hidden: false,
  });
  await services.packages.addResourceRole(
    SYSTEM,
    pkg.id,
    group.roles.find((r) => r.name === 'member')!.id,
  );
  const policy = await services.policies.create(
    SYSTEM,
    pkg.id,
    policyInputSchema.parse({
      name: DEMO.policy,
      description: 'Allows users in this directory to request access to web project resources',
      requestorScope: 'specificUsers',
      requestors: [{ userId: user1.id }],
      approvers: [{ userId: admin1.id }],
      requestorJustificationRequired: true,
      expiration: { type: 'afterDays', days: 30 },
      allowCustomSchedule: true,
    }),
  );
  return { adminId: admin1.id, userId: user1.id, packageId: pkg.id, policyId: policy.id };
}

/** The demo's ids on a later start, if the demo is what the database holds. */
async function existingDemo(services: Services): Promise<DemoData | null> {
  const [admin, user, pkg] = await Promise.all([
    services.directory.findUserByEmail(DEMO.admin.email),
    services.directory.findUserByEmail(DEMO.user.email),
    services.packages.findByName(DEMO.package),
  ]);
  if (!admin || !user || pkg.length !== 1) return null;
  const [policy] = await services.policies.listForPackage(pkg[0].id);
  return policy
    ? { adminId: admin.id, userId: user.id, packageId: pkg[0].id, policyId: policy.id }
    : null;
}

/** What a newcomer can try right after `npm start`. */
export function demoInstructions(baseUrl: string, tokenHint: string, demo: DemoData): string {
  const auth = `-H "Authorization: Bearer ${tokenHint}"`;
  const json = `-H 'Content-Type: application/json'`;
  return [
    '',
    'Accessbot is running with the Woodgrove Bank demo (seed 002 tutorial).',
    '',
    `  Admin API:   ${baseUrl}/api/v1  (OpenAPI: ${baseUrl}/api/v1/openapi.json)`,
    `  Health:      ${baseUrl}/healthz   Metrics: ${baseUrl}/metrics`,
    '',
    'Try the tutorial: User1 requests the package, Admin1 approves it.',
    `  curl ${auth} ${baseUrl}/api/v1/users/${demo.userId}/accessPackages`,
    `  curl ${auth} ${json} -d '{"requestorId":"${demo.userId}","packageId":"${demo.packageId}","justification":"Working on web project"}' ${baseUrl}/api/v1/assignmentRequests`,
    `  curl ${auth} ${json} -d '{"approverId":"${demo.adminId}","decision":"approve","reason":"Approved access for web project"}' ${baseUrl}/api/v1/assignmentRequests/<request id>/decision`,
    `  curl ${auth} "${baseUrl}/api/v1/assignments?packageId=${demo.packageId}&format=csv"`,
    '',
    'No provisioning connector is configured yet, so the grant is recorded as failed with that',
    'reason (GET /api/v1/assignments/<id>/fulfillments) rather than pretending it succeeded.',
    '',
  ].join('\n');
}
