/**
 * The one definition of "this user may request under this policy": the policy is enabled and
 * live, and the user is in its scope as a member (internal users), by external domain, or by
 * name directly or through a group. Written as a union driven from the user's own principals,
 * so browsing stays a handful of index look-ups however many policies exist.
 *
 * Placeholders name the query parameters: user id, user kind, the user's domain suffixes, and
 * optionally one package to restrict to. Yields rows (policy_id, package_id).
 */
export function eligiblePolicies(p: {
  user: string;
  kind: string;
  domains: string;
  packageId?: string;
}): string {
  const live = `pol.enabled AND pol.deleted_at IS NULL${
    p.packageId ? ` AND pol.package_id = ${p.packageId}` : ''
  }`;
  return `
    SELECT pol.id AS policy_id, pol.package_id FROM policies pol
     WHERE pol.requestor_scope = 'allMembers' AND ${p.kind} = 'internal' AND ${live}
    UNION
    SELECT pol.id, pol.package_id FROM policies pol
     WHERE pol.requestor_scope = 'externalDomains' AND ${p.kind} = 'external'
       AND pol.external_domains && ${p.domains}::text[] AND ${live}
    UNION
    SELECT pol.id, pol.package_id FROM policy_principals pp JOIN policies pol ON pol.id = pp.policy_id
     WHERE pp.relation = 'requestor' AND pol.requestor_scope = 'specificUsers' AND ${live}
       AND (pp.user_id = ${p.user}
            OR pp.group_id IN (SELECT group_id FROM group_members WHERE user_id = ${p.user}))`;
}
