import type { Client } from 'pg';

/**
 * What a user may browse, computed naively in JavaScript from the raw tables, straight from
 * the rules of DESIGN §3.1: the package is live and not hidden, its catalog is enabled, and
 * some enabled, live policy of it admits the user (allMembers for internal users; specificUsers
 * naming the user or one of the user's groups; externalDomains naming a suffix of an external
 * user's domain). Optionally filtered by a case-insensitive substring of name + description.
 */
export async function referenceBrowse(
  db: Client,
  userId: string,
  text?: string,
): Promise<Set<string>> {
  const {
    rows: [user],
  } = await db.query<{ kind: string; domain: string }>(
    'SELECT kind, domain FROM users WHERE id = $1',
    [userId],
  );
  const groups = new Set(
    (
      await db.query<{ group_id: string }>(
        'SELECT group_id FROM group_members WHERE user_id = $1',
        [userId],
      )
    ).rows.map((r) => r.group_id),
  );
  const catalogs = new Map(
    (await db.query<{ id: string; enabled: boolean }>('SELECT id, enabled FROM catalogs')).rows.map(
      (c) => [c.id, c.enabled],
    ),
  );
  const packages = (
    await db.query<{
      id: string;
      catalog_id: string;
      name: string;
      description: string;
      hidden: boolean;
      deleted_at: Date | null;
    }>('SELECT id, catalog_id, name, description, hidden, deleted_at FROM access_packages')
  ).rows;
  const policies = (
    await db.query<{
      id: string;
      package_id: string;
      enabled: boolean;
      deleted_at: Date | null;
      requestor_scope: string;
      external_domains: string[];
    }>(
      'SELECT id, package_id, enabled, deleted_at, requestor_scope, external_domains FROM policies',
    )
  ).rows;
  const requestors = new Map<string, Array<{ user_id: string | null; group_id: string | null }>>();
  for (const r of (
    await db.query<{
      policy_id: string;
      relation: string;
      user_id: string | null;
      group_id: string | null;
    }>('SELECT policy_id, relation, user_id, group_id FROM policy_principals')
  ).rows) {
    if (r.relation !== 'requestor') continue;
    const list = requestors.get(r.policy_id) ?? [];
    list.push(r);
    requestors.set(r.policy_id, list);
  }

  const parts = user.domain.split('.');
  const suffixes = new Set(parts.map((_, i) => parts.slice(i).join('.')));
  const admits = (p: (typeof policies)[number]) => {
    if (!p.enabled || p.deleted_at) return false;
    switch (p.requestor_scope) {
      case 'allMembers':
        return user.kind === 'internal';
      case 'externalDomains':
        return user.kind === 'external' && p.external_domains.some((d) => suffixes.has(d));
      case 'specificUsers':
        return (requestors.get(p.id) ?? []).some(
          (r) => r.user_id === userId || (r.group_id !== null && groups.has(r.group_id)),
        );
      default:
        return false;
    }
  };
  const eligible = new Set(policies.filter(admits).map((p) => p.package_id));
  const needle = text?.trim().toLowerCase();
  return new Set(
    packages
      .filter(
        (p) =>
          !p.deleted_at &&
          !p.hidden &&
          catalogs.get(p.catalog_id) === true &&
          eligible.has(p.id) &&
          (!needle || `${p.name} ${p.description}`.toLowerCase().includes(needle)),
      )
      .map((p) => p.id),
  );
}
