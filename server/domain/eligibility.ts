/**
 * The one definition of "this user may request under this policy": the policy is enabled and
 * live, and the user is in its scope as a member (internal users), by external domain, or by
 * name directly or through a group. Each scope is one branch below; both query shapes are
 * built from the same branches.
 *
 * Placeholders name the query parameters holding the user id, the user kind ('internal' or
 * 'external') and the user's domain suffixes.
 */
export interface EligibilityParams {
  user: string;
  kind: string;
  domains: string;
}

const live = `pol.enabled AND pol.deleted_at IS NULL`;

// Each branch yields (policy_id, package_id). The user and group branches are separate so
// that each can use its own index on policy_principals.
const branches = (p: EligibilityParams) => ({
  allMembers: `SELECT pol.id AS policy_id, pol.package_id FROM policies pol
     WHERE pol.requestor_scope = 'allMembers' AND ${p.kind} = 'internal' AND ${live}`,
  byDomain: `SELECT pol.id AS policy_id, pol.package_id FROM policies pol
     WHERE pol.requestor_scope = 'externalDomains' AND ${p.kind} = 'external'
       AND pol.external_domains && ${p.domains}::text[] AND ${live}`,
  byUser: `SELECT pol.id AS policy_id, pol.package_id
      FROM policy_principals pp JOIN policies pol ON pol.id = pp.policy_id
     WHERE pp.user_id = ${p.user} AND pp.relation = 'requestor'
       AND pol.requestor_scope = 'specificUsers' AND ${live}`,
  byGroup: `SELECT pol.id AS policy_id, pol.package_id
      FROM group_members gm JOIN policy_principals pp ON pp.group_id = gm.group_id
      JOIN policies pol ON pol.id = pp.policy_id
     WHERE gm.user_id = ${p.user} AND pp.relation = 'requestor'
       AND pol.requestor_scope = 'specificUsers' AND ${live}`,
});

/** The policies of one package under which the user may request it. */
export function eligiblePoliciesOf(p: EligibilityParams, packageId: string): string {
  return Object.values(branches(p))
    .map((b) => `SELECT policy_id FROM (${b}) b WHERE package_id = ${packageId}`)
    .join(' UNION ');
}

/**
 * A condition on a package row: the user may request it. "Members" policies are tested per
 * package (there can be thousands), so that a browse walks packages in name order and stops
 * at the page's end; the narrow scopes are gathered from the user's own principals.
 */
export function packageRequestableBy(pkg: string, p: EligibilityParams): string {
  const b = branches(p);
  return `(EXISTS (SELECT 1 FROM (${b.allMembers}) m WHERE m.package_id = ${pkg}.id)
    OR ${pkg}.id IN (SELECT package_id FROM (${b.byDomain} UNION ALL ${b.byUser} UNION ALL ${b.byGroup}) n))`;
}
