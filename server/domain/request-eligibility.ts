import type { User } from '../../db/entities';
import type { DomainContext } from './context';
import type { PolicyService, PolicyView } from './policies';
import { activeAssignmentOf, openRequestOf } from './request-rows';

/** Whether a user may request a package now, and if not, the first reason that stops them. */
export type Requestability =
  | { requestable: true; policies: PolicyView[] }
  | { requestable: false; reason: 'notFound' }
  | { requestable: false; reason: 'catalogDisabled' }
  | { requestable: false; reason: 'hasAccess'; until: Date | null }
  | { requestable: false; reason: 'pending'; number: number }
  | { requestable: false; reason: 'noEnabledPolicy' }
  | { requestable: false; reason: 'notInScope'; owners: string[] };

/**
 * Says why, from the package's state and its policies, in the order a person would fix
 * things. No peer bot explains a refusal; "ask the owners" with their names is actionable.
 */
export class RequestEligibility {
  constructor(
    private readonly ctx: DomainContext,
    private readonly policies: PolicyService,
  ) {}

  async check(user: User, packageId: string): Promise<Requestability> {
    const db = this.ctx.db;
    const [pkg] = await db.query(
      `SELECT p.id, c.enabled AS catalog_enabled, p.catalog_id FROM access_packages p
         JOIN catalogs c ON c.id = p.catalog_id WHERE p.id = $1 AND p.deleted_at IS NULL`,
      [packageId],
    );
    if (!pkg) return { requestable: false, reason: 'notFound' };
    if (!pkg.catalog_enabled) return { requestable: false, reason: 'catalogDisabled' };
    // The same rules submit refuses by, so the explanation never disagrees with the refusal.
    const active = await activeAssignmentOf(db.manager, user.id, packageId);
    if (active) return { requestable: false, reason: 'hasAccess', until: active.endAt };
    const open = await openRequestOf(db.manager, user.id, packageId);
    if (open) return { requestable: false, reason: 'pending', number: open.number };
    const policies = await this.policies.requestableFor(db.manager, user, packageId);
    if (policies.length) return { requestable: true, policies };
    const [{ enabled }] = await db.query(
      `SELECT count(*)::int AS enabled FROM policies
        WHERE package_id = $1 AND enabled AND deleted_at IS NULL AND requestor_scope <> 'none'`,
      [packageId],
    );
    if (!enabled) return { requestable: false, reason: 'noEnabledPolicy' };
    const owners: Array<{ name: string }> = await db.query(
      `SELECT u.display_name AS name FROM catalog_roles cr JOIN users u ON u.id = cr.user_id
        WHERE cr.catalog_id = $1 AND cr.role = 'catalogOwner' ORDER BY u.display_name LIMIT 5`,
      [pkg.catalog_id],
    );
    return { requestable: false, reason: 'notInScope', owners: owners.map((o) => o.name) };
  }
}
