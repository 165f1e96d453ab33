import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';
import type { Services } from '../server/domain/services';
import { idOf } from './seed';

/**
 * A request whose approvers are a group of `approvers` people, each made known to the bot on
 * its platform by `register` (email `${prefix}N@woodgrove.example`), submitted by a seeded
 * user: the outbox then holds one approval card for each approver.
 */
export async function submitFanoutRequest(args: {
  services: Services;
  db: Client;
  platform: 'teams' | 'slack';
  prefix: string;
  approvers: number;
  register: (i: number, email: string, name: string) => Promise<void>;
}): Promise<{ requestId: string }> {
  const { db, prefix } = args;
  const group = idOf(`group:${prefix}`);
  await db.query(`INSERT INTO groups (id, name) VALUES ($1, $2)`, [group, `${prefix} approvers`]);
  for (let i = 1; i <= args.approvers; i++) {
    await args.register(i, `${prefix}${i}@woodgrove.example`, `Fan-out Approver ${i}`);
  }
  await db.query(
    `INSERT INTO group_members (group_id, user_id)
     SELECT $1, id FROM users WHERE email LIKE $2`,
    [group, `${prefix}%@woodgrove.example`],
  );
  // Ids the API accepts (RFC 4122 versions), not the seed's md5 ones.
  const pkg = randomUUID();
  const policy = randomUUID();
  const catalog = `md5('catalog:${args.platform}')::uuid`;
  await db.query(
    `INSERT INTO access_packages (id, catalog_id, name, description)
     VALUES ($1, ${catalog}, $2, '')`,
    [pkg, `${prefix} package`],
  );
  await db.query(
    `INSERT INTO access_package_resource_roles (package_id, resource_role_id)
     VALUES ($1, md5('role:${args.platform}')::uuid)`,
    [pkg],
  );
  await db.query(
    `INSERT INTO policies (id, package_id, name, requestor_scope, approval_required,
       requestor_justification_required, approver_justification_required, approval_timeout_days,
       expiration_type, expiration_days, allow_custom_schedule, extension_allowed,
       extension_requires_approval)
     VALUES ($1, $2, $3, 'allMembers', true, true, false, 14, 'afterDays', 30,
       false, false, false)`,
    [policy, pkg, `${prefix} policy`],
  );
  await db.query(
    `INSERT INTO policy_principals (policy_id, relation, group_id) VALUES ($1, 'approver', $2)`,
    [policy, group],
  );
  const requester = idOf('user:1501');
  const { request } = await args.services.requests.submit(
    {
      userId: requester,
      label: 'user1501@woodgrove.example',
      isAdmin: false,
      channel: args.platform,
    },
    { packageId: pkg, justification: 'Fan-out benchmark' },
  );
  return { requestId: request.id };
}
