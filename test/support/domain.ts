import pino from 'pino';
import { createDataSource } from '../../db/data-source';
import type { User } from '../../db/entities';
import { DomainError } from '../../server/domain/errors';
import { API_TOKEN_ACTOR, type Actor } from '../../server/domain/actor';
import { ManualClock } from '../../server/domain/clock';
import type { Notification, Provisioner, ProvisioningTarget } from '../../server/domain/ports';
import type { PolicyInput } from '../../server/domain/policy-settings';
import { policyInputSchema } from '../../server/domain/policy-settings';
import { createServices, type Services } from '../../server/domain/services';
import { runInBackground } from '../../server/work/background';
import { createTestDatabase, type TestDatabase } from './database';

/** Records every call; resources whose originId is in `failing` throw like a broken connector. */
export class RecordingProvisioner implements Provisioner {
  readonly calls: Array<{
    action: 'grant' | 'revoke';
    user: string;
    resource: string;
    role: string;
  }> = [];
  readonly failing = new Set<string>();

  async grant(target: ProvisioningTarget) {
    this.record('grant', target);
  }

  async revoke(target: ProvisioningTarget) {
    this.record('revoke', target);
  }

  private record(action: 'grant' | 'revoke', t: ProvisioningTarget) {
    this.calls.push({
      action,
      user: t.user.email,
      resource: t.resource.originId,
      role: t.role.name,
    });
    if (this.failing.has(t.resource.originId))
      throw new Error(`connector down for ${t.resource.originId}`);
  }
}

export interface Harness {
  services: Services;
  clock: ManualClock;
  /** What the domain has written to the outbox, oldest first. */
  notifications(): Promise<Notification[]>;
  provisioner: RecordingProvisioner;
  /** Does the queued provisioning now, as the background workers would. */
  fulfil(): Promise<number>;
  db: TestDatabase;
  api: Actor;
  /** A user, created through the directory, and the actor acting as them. */
  user(name: string, opts?: { kind?: 'internal' | 'external'; email?: string }): Promise<User>;
  actor(user: User): Promise<Actor>;
  close(): Promise<void>;
}

export const ADMIN_EMAIL = 'admin1@woodgrove.example';

/** Domain services on a fresh copy of the migrated test database, with recording ports. */
export async function createHarness(opts: { poolSize?: number } = {}): Promise<Harness> {
  const db = await createTestDatabase(opts);
  const clock = new ManualClock();
  const provisioner = new RecordingProvisioner();
  const services = createServices({
    db: db.dataSource,
    clock,
    provisioner,
    admins: new Set([ADMIN_EMAIL]),
    logger: pino({ level: 'silent' }),
  });
  return {
    services,
    clock,
    notifications: () => outboxOf(db),
    provisioner,
    fulfil: () => services.fulfillment.runUntilIdle(),
    db,
    api: API_TOKEN_ACTOR,
    user: (name, o = {}) =>
      services.directory.createUser(API_TOKEN_ACTOR, {
        displayName: name,
        email: o.email ?? `${name.toLowerCase().replace(/\W+/g, '.')}@woodgrove.example`,
        kind: o.kind ?? 'internal',
      }),
    actor: (user) => services.directory.actorFor(user.id, { channel: 'teams' }),
    close: () => db.drop(),
  };
}

async function outboxOf(db: TestDatabase): Promise<Notification[]> {
  const rows: Array<{ kind: Notification['kind']; subject_id: string; recipients: string[] }> =
    await db.dataSource.query(`SELECT kind, subject_id, recipients FROM outbox_events ORDER BY id`);
  return rows.map((r): Notification => {
    switch (r.kind) {
      case 'approvalRequested':
      case 'approvalReminder':
        return { kind: r.kind, requestId: r.subject_id, approverIds: r.recipients };
      case 'assignmentChanged':
      case 'assignmentEnded':
      case 'extensionPrompt':
        return { kind: r.kind, assignmentId: r.subject_id };
      case 'taskRequested':
        return { kind: r.kind, fulfillmentId: r.subject_id, ownerIds: r.recipients };
      case 'taskChanged':
        return { kind: r.kind, fulfillmentId: r.subject_id };
      default:
        return { kind: r.kind, requestId: r.subject_id };
    }
  });
}

/** Policy settings with defaults filled in, as the API would parse them. */
export const policy = (
  input: Partial<PolicyInput> & Pick<PolicyInput, 'requestorScope'>,
): PolicyInput => policyInputSchema.parse({ name: 'Policy', ...input });

/**
 * A package in a fresh catalog with one resource (two roles) and one policy. The catalog is
 * created by the API token, so it has no owner unless the test adds one.
 */
export async function packageWithPolicy(
  h: Harness,
  settings: Partial<PolicyInput> & Pick<PolicyInput, 'requestorScope'>,
) {
  const { services, api } = h;
  const n = Math.random().toString(36).slice(2, 8);
  const catalog = await services.catalogs.create(api, {
    name: `Catalog ${n}`,
    description: '',
    enabled: true,
  });
  const resource = await services.resources.add(api, catalog.id, {
    type: 'm365Group',
    originId: `group-${n}`,
    displayName: `Engineering Group ${n}`,
    description: '',
    attributes: {},
  });
  const pkg = await services.packages.create(api, {
    catalogId: catalog.id,
    name: `Web project ${n}`,
    description: 'Access package for the Engineering web project',
    hidden: false,
  });
  for (const role of resource.roles.filter((r) => r.name === 'member')) {
    await services.packages.addResourceRole(api, pkg.id, role.id);
  }
  const pol = await services.policies.create(api, pkg.id, policy(settings));
  return { catalog, resource, pkg, policy: pol };
}

/**
 * A request of `requester`, on a package of its own (packageWithPolicy) open to all members,
 * that `approvers` decide; `settings`: anything else its policy says.
 */
export async function pendingRequest(
  h: Harness,
  requester: User,
  approvers: User[],
  { justification = 'x', ...settings }: Partial<PolicyInput> & { justification?: string } = {},
) {
  const made = await packageWithPolicy(h, {
    requestorScope: 'allMembers',
    approvers: approvers.map((a) => ({ userId: a.id })),
    ...settings,
  });
  const { request } = await h.services.requests.submit(await h.actor(requester), {
    packageId: made.pkg.id,
    justification,
  });
  return { ...made, request };
}

/** The domain error a call throws, for asserting its code, field and message together. */
export async function failure(call: Promise<unknown>): Promise<DomainError> {
  try {
    await call;
  } catch (e) {
    if (e instanceof DomainError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

/**
 * Services over a second pool of `connections` connections, so that concurrent calls really
 * run in separate transactions, as they would on separate replicas.
 */
export async function withSeparateConnections<T>(
  h: Harness,
  connections: number,
  run: (services: Services) => Promise<T>,
): Promise<T> {
  const wide = await createDataSource({ url: h.db.url, poolSize: connections }).initialize();
  try {
    return await run(createServices({ ...h.services.ctx, db: wide }));
  } finally {
    await wide.destroy();
  }
}

/**
 * A fulfillment worker in the background that polls only hourly, so that only a commit's
 * notification wakes it in time; `granted` resolves with the first grant to `email`.
 */
export function hourlyPollingWorker(h: Harness, email: string) {
  let seen!: (email: string) => void;
  const granted = new Promise<string>((r) => (seen = r));
  const worker = createServices({
    ...h.services.ctx,
    provisioner: {
      grant: async (t) => {
        if (t.user.email === email) seen(t.user.email);
      },
      revoke: async () => undefined,
    },
  }).fulfillment;
  const stop = runInBackground(
    worker,
    'fulfillment',
    h.db.url,
    pino({ level: 'silent' }),
    3_600_000,
  );
  return { granted, stop };
}
