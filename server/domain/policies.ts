import type { EntityManager } from 'typeorm';
import { Policy, User } from '../../db/entities';
import type { Actor } from './actor';
import { audit } from './audit';
import type { DomainContext } from './context';
import { domainSuffixes } from './directory';
import { eligiblePoliciesOf } from './eligibility';
import { Conflict, Invalid, NotFound, parseInput } from './errors';
import { lockPackage, lockPackageRow } from './package-lock';
import { authorizeOnPackage } from './permissions';
import {
  expirationOf,
  policyColumns,
  policyInputSchema,
  policyPatchSchema,
  type Expiration,
  type PolicyInput,
  type PolicyPatch,
  type Principal,
} from './policy-settings';

/** Entra's limit, kept so that a request form's policy choice stays short. */
export const MAX_POLICIES_PER_PACKAGE = 10;

export type PolicyView = Omit<PolicyInput, 'expiration'> & {
  id: string;
  packageId: string;
  expiration: Expiration;
  createdAt: Date;
  updatedAt: Date;
};

export class PolicyService {
  constructor(private readonly ctx: DomainContext) {}

  async get(id: string, em: EntityManager = this.ctx.db.manager): Promise<PolicyView> {
    const policy = await em.findOneBy(Policy, { id });
    if (!policy || policy.deletedAt) throw new NotFound('Policy', id);
    return (await this.views(em, [policy]))[0];
  }

  async listForPackage(packageId: string): Promise<PolicyView[]> {
    const rows = await this.ctx.db.manager
      .createQueryBuilder(Policy, 'p')
      .where('p.package_id = :packageId AND p.deleted_at IS NULL', { packageId })
      .orderBy('p.created_at')
      .getMany();
    return this.views(this.ctx.db.manager, rows);
  }

  /** The package's policies under which this user may request it. */
  async requestableFor(em: EntityManager, user: User, packageId: string): Promise<PolicyView[]> {
    const rows: Array<{ id: string }> = await em.query(
      `SELECT policy_id AS id FROM (${eligiblePoliciesOf({ user: '$1', kind: '$2', domains: '$3' }, '$4')}) e`,
      [user.id, user.kind, domainSuffixes(user.domain), packageId],
    );
    if (!rows.length) return [];
    const policies = await em
      .createQueryBuilder(Policy, 'p')
      .where('p.id IN (:...ids)', { ids: rows.map((r) => r.id) })
      .orderBy('p.created_at')
      .getMany();
    return this.views(em, policies);
  }

  async create(actor: Actor, packageId: string, raw: PolicyInput): Promise<PolicyView> {
    const input = parseInput(policyInputSchema, raw);
    return this.ctx.db.transaction(async (em) => {
      // One policy creation at a time per package, so two cannot both see nine.
      await lockPackage(em, packageId, 'count');
      await authorizeOnPackage(em, actor, 'managePolicies', packageId, { live: true });
      const [{ n }] = await em.query(
        `SELECT count(*)::int AS n FROM policies WHERE package_id = $1 AND deleted_at IS NULL`,
        [packageId],
      );
      if (n >= MAX_POLICIES_PER_PACKAGE) {
        throw new Conflict(`An access package has at most ${MAX_POLICIES_PER_PACKAGE} policies.`);
      }
      await this.validate(em, input, input);
      const policy = await em.save(em.create(Policy, { ...policyColumns(input), packageId }));
      await this.writePrincipals(em, policy.id, input);
      await audit(em, this.ctx.clock, actor, 'policy.created', subject(policy.id), {
        packageId,
        name: policy.name,
      });
      return this.get(policy.id, em);
    });
  }

  /**
   * Changes apply to new requests only: open requests and assignments carry a snapshot of
   * the settings they were made under. The merged settings must still hang together, but only
   * what the edit sets is checked against today: a policy whose end date has passed can still
   * be renamed, and disabling a policy always works.
   */
  async update(actor: Actor, id: string, raw: PolicyPatch): Promise<PolicyView> {
    const patch = parseInput(policyPatchSchema, raw);
    return this.ctx.db.transaction(async (em) => {
      const { packageId } = await this.get(id, em);
      const pkg = await lockPackageRow(em, packageId, 'use');
      await authorizeOnPackage(em, actor, 'managePolicies', packageId);
      if (pkg?.deletedAt) {
        throw new Conflict(
          `Access package "${pkg.name}" was deleted; its policies are kept only as history.`,
        );
      }
      // Two edits at once would each merge into the settings they read: one would be lost.
      await em.findOne(Policy, { where: { id }, lock: { mode: 'pessimistic_write' } });
      const current = await this.get(id, em);
      const disablingOnly = Object.keys(patch).every((k) => k === 'enabled') && !patch.enabled;
      const merged = disablingOnly
        ? { ...inputOf(current), enabled: false }
        : parseInput(policyInputSchema, { ...inputOf(current), ...patch });
      await this.validate(em, merged, patch);
      await em.update(Policy, id, policyColumns(merged));
      if (patch.requestors || patch.approvers) {
        await em.query(`DELETE FROM policy_principals WHERE policy_id = $1`, [id]);
        await this.writePrincipals(em, id, merged);
      }
      await audit(em, this.ctx.clock, actor, 'policy.updated', subject(id), {
        changed: Object.keys(patch),
      });
      return this.get(id, em);
    });
  }

  setEnabled(actor: Actor, id: string, enabled: boolean) {
    return this.update(actor, id, { enabled });
  }

  async delete(actor: Actor, id: string): Promise<void> {
    await this.ctx.db.transaction(async (em) => {
      const current = await this.get(id, em);
      await authorizeOnPackage(em, actor, 'managePolicies', current.packageId);
      // Kept as a row: assignments and requests made under it still point at it.
      await em.update(Policy, id, { deletedAt: this.ctx.clock.now(), enabled: false });
      await audit(em, this.ctx.clock, actor, 'policy.deleted', subject(id), { name: current.name });
    });
  }

  /** Checks against the present what `changed` sets; the rest was checked when it was set. */
  private async validate(em: EntityManager, input: PolicyInput, changed: PolicyPatch) {
    const e = changed.expiration;
    if (e?.type === 'onDate' && e.date <= this.ctx.clock.now()) {
      throw new Invalid('expiration.date', 'The expiration date must be in the future.');
    }
    for (const field of ['requestors', 'approvers'] as const) {
      if (!changed[field]) continue;
      for (const p of input[field]) {
        const [table, id] = 'userId' in p ? ['users', p.userId] : ['groups', p.groupId];
        // Held to commit: the user or group cannot be deleted before the principal row exists.
        const [row] = await em.query(`SELECT 1 FROM ${table} WHERE id = $1 FOR KEY SHARE`, [id]);
        if (!row)
          throw new Invalid(field, `${'userId' in p ? 'User' : 'Group'} ${id} does not exist.`);
      }
    }
  }

  private async writePrincipals(em: EntityManager, policyId: string, input: PolicyInput) {
    const rows = [
      ...input.requestors.map((p) => ({ relation: 'requestor', p })),
      ...input.approvers.map((p) => ({ relation: 'approver', p })),
    ];
    for (const { relation, p } of rows) {
      await em.query(
        `INSERT INTO policy_principals (policy_id, relation, user_id, group_id) VALUES ($1, $2, $3, $4)
         ON CONFLICT DO NOTHING`,
        [policyId, relation, 'userId' in p ? p.userId : null, 'groupId' in p ? p.groupId : null],
      );
    }
  }

  private async views(em: EntityManager, policies: Policy[]): Promise<PolicyView[]> {
    if (!policies.length) return [];
    const principals: Array<{
      policy_id: string;
      relation: string;
      user_id: string | null;
      group_id: string | null;
    }> = await em.query(
      `SELECT policy_id, relation, user_id, group_id FROM policy_principals WHERE policy_id = ANY($1)
          ORDER BY coalesce(user_id, group_id)`,
      [policies.map((p) => p.id)],
    );
    const of = (policyId: string, relation: string): Principal[] =>
      principals
        .filter((r) => r.policy_id === policyId && r.relation === relation)
        .map((r) => (r.user_id ? { userId: r.user_id } : { groupId: r.group_id! }));
    return policies.map((p) => ({
      id: p.id,
      packageId: p.packageId,
      name: p.name,
      description: p.description,
      enabled: p.enabled,
      requestorScope: p.requestorScope,
      requestors: of(p.id, 'requestor'),
      externalDomains: p.externalDomains,
      approvalRequired: p.approvalRequired,
      approvers: of(p.id, 'approver'),
      requestorJustificationRequired: p.requestorJustificationRequired,
      approverJustificationRequired: p.approverJustificationRequired,
      approvalTimeoutDays: p.approvalTimeoutDays,
      expiration: expirationOf(p),
      allowCustomSchedule: p.allowCustomSchedule,
      extensionAllowed: p.extensionAllowed,
      extensionRequiresApproval: p.extensionRequiresApproval,
      createdAt: p.createdAt,
      updatedAt: p.updatedAt,
    }));
  }
}

function inputOf(view: PolicyView): PolicyInput {
  const { id: _i, packageId: _p, createdAt: _c, updatedAt: _u, ...input } = view;
  return input;
}

const subject = (id: string) => ({ type: 'policy' as const, id });
