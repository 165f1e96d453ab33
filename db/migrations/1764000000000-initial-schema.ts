import { MigrationInterface, QueryRunner } from 'typeorm';

// The whole model of DESIGN §1. Written as SQL rather than generated so that the partial
// unique indexes, CHECK constraints and search indexes, which carry business rules, are explicit.
export class InitialSchema1764000000000 implements MigrationInterface {
  name = 'InitialSchema1764000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 256),
        email text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
        domain text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('internal', 'external')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);

    await q.query(`
      CREATE TABLE user_identities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        platform text NOT NULL CHECK (platform IN ('teams', 'slack')),
        tenant_id text NOT NULL,
        platform_user_id text NOT NULL,
        conversation_reference jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (platform, tenant_id, platform_user_id)
      )`);
    await q.query(`CREATE INDEX user_identities_user_idx ON user_identities (user_id)`);

    await q.query(`
      CREATE TABLE directory_roles (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('catalogCreator')),
        PRIMARY KEY (user_id, role)
      )`);

    await q.query(`
      CREATE TABLE groups (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
        description text NOT NULL DEFAULT '',
        source text NOT NULL DEFAULT 'local' CHECK (source IN ('local', 'slack', 'entra')),
        external_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX groups_name_key ON groups (lower(name))`);
    await q.query(`
      CREATE TABLE group_members (
        group_id uuid NOT NULL REFERENCES groups(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        PRIMARY KEY (group_id, user_id)
      )`);
    await q.query(`CREATE INDEX group_members_user_idx ON group_members (user_id, group_id)`);

    await q.query(`
      CREATE TABLE catalogs (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
        description text NOT NULL DEFAULT '',
        enabled boolean NOT NULL DEFAULT true,
        is_general boolean NOT NULL DEFAULT false,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX catalogs_name_key ON catalogs (lower(name))`);
    await q.query(
      `CREATE UNIQUE INDEX catalogs_one_general ON catalogs (is_general) WHERE is_general`,
    );
    await q.query(`INSERT INTO catalogs (name, description, is_general)
      VALUES ('General', 'Built-in catalog that is always available.', true)`);

    await q.query(`
      CREATE TABLE catalog_roles (
        catalog_id uuid NOT NULL REFERENCES catalogs(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        role text NOT NULL CHECK (role IN ('catalogOwner', 'packageManager')),
        PRIMARY KEY (catalog_id, user_id, role)
      )`);
    await q.query(`CREATE INDEX catalog_roles_user_idx ON catalog_roles (user_id)`);

    await q.query(`
      CREATE TABLE resources (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        catalog_id uuid NOT NULL REFERENCES catalogs(id),
        type text NOT NULL CHECK (type IN ('slackChannel', 'm365Group', 'appRole', 'webhook')),
        origin_id text NOT NULL,
        display_name text NOT NULL,
        description text NOT NULL DEFAULT '',
        attributes jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (catalog_id, type, origin_id)
      )`);
    await q.query(`
      CREATE TABLE resource_roles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        resource_id uuid NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 128),
        description text NOT NULL DEFAULT '',
        UNIQUE (resource_id, name)
      )`);

    await q.query(`
      CREATE TABLE access_packages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        catalog_id uuid NOT NULL REFERENCES catalogs(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
        description text NOT NULL DEFAULT '',
        hidden boolean NOT NULL DEFAULT false,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX access_packages_name_key ON access_packages (catalog_id, lower(name))
      WHERE deleted_at IS NULL`);
    // Browse: visible packages in name order, and substring search on name and description.
    await q.query(`CREATE INDEX access_packages_browse_idx ON access_packages (lower(name), id)
      WHERE deleted_at IS NULL AND NOT hidden`);
    await q.query(`CREATE INDEX access_packages_search_idx ON access_packages
      USING gin ((lower(name || ' ' || description)) gin_trgm_ops) WHERE deleted_at IS NULL`);

    await q.query(`
      CREATE TABLE access_package_resource_roles (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        package_id uuid NOT NULL REFERENCES access_packages(id),
        resource_role_id uuid NOT NULL REFERENCES resource_roles(id),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (package_id, resource_role_id)
      )`);

    await q.query(`
      CREATE TABLE policies (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        package_id uuid NOT NULL REFERENCES access_packages(id),
        name text NOT NULL CHECK (length(name) BETWEEN 1 AND 256),
        description text NOT NULL DEFAULT '',
        enabled boolean NOT NULL DEFAULT true,
        requestor_scope text NOT NULL
          CHECK (requestor_scope IN ('allMembers', 'specificUsers', 'externalDomains', 'none')),
        external_domains text[] NOT NULL DEFAULT '{}',
        approval_required boolean NOT NULL,
        requestor_justification_required boolean NOT NULL,
        approver_justification_required boolean NOT NULL,
        approval_timeout_days integer NOT NULL CHECK (approval_timeout_days BETWEEN 1 AND 14),
        expiration_type text NOT NULL CHECK (expiration_type IN ('onDate', 'afterDays', 'afterHours', 'never')),
        expiration_date timestamptz,
        expiration_days integer CHECK (expiration_days BETWEEN 0 AND 3660),
        expiration_hours integer CHECK (expiration_hours BETWEEN 1 AND 87840),
        allow_custom_schedule boolean NOT NULL,
        extension_allowed boolean NOT NULL,
        extension_requires_approval boolean NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        CHECK (expiration_type <> 'onDate' OR expiration_date IS NOT NULL),
        CHECK (expiration_type <> 'afterDays' OR expiration_days IS NOT NULL),
        CHECK (expiration_type <> 'afterHours' OR expiration_hours IS NOT NULL)
      )`);
    await q.query(`CREATE INDEX policies_package_idx ON policies (package_id)
      WHERE enabled AND deleted_at IS NULL`);
    await q.query(`CREATE INDEX policies_all_members_idx ON policies (package_id)
      WHERE requestor_scope = 'allMembers' AND enabled AND deleted_at IS NULL`);
    await q.query(`CREATE INDEX policies_domains_idx ON policies USING gin (external_domains)
      WHERE requestor_scope = 'externalDomains'`);

    // Who may request (relation 'requestor') and who approves ('approver'): a user or a group.
    await q.query(`
      CREATE TABLE policy_principals (
        policy_id uuid NOT NULL REFERENCES policies(id) ON DELETE CASCADE,
        relation text NOT NULL CHECK (relation IN ('requestor', 'approver')),
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        group_id uuid REFERENCES groups(id) ON DELETE CASCADE,
        CHECK ((user_id IS NULL) <> (group_id IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX policy_principals_key ON policy_principals
      (policy_id, relation, coalesce(user_id, group_id))`);
    await q.query(`CREATE INDEX policy_principals_user_idx ON policy_principals (user_id, relation, policy_id)
      WHERE user_id IS NOT NULL`);
    await q.query(`CREATE INDEX policy_principals_group_idx ON policy_principals (group_id, relation, policy_id)
      WHERE group_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE access_requests (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
        type text NOT NULL
          CHECK (type IN ('userAdd', 'userExtend', 'userRemove', 'adminAdd', 'adminRemove', 'systemRemove')),
        state text NOT NULL CHECK (state IN ('submitted', 'pendingApproval', 'approved', 'scheduled',
          'delivering', 'delivered', 'partiallyDelivered', 'deliveryFailed', 'denied', 'canceled')),
        -- Null when the system or the admin API's token acted, not a person.
        requestor_id uuid REFERENCES users(id),
        target_user_id uuid NOT NULL REFERENCES users(id),
        package_id uuid NOT NULL REFERENCES access_packages(id),
        policy_id uuid REFERENCES policies(id),
        policy_snapshot jsonb,
        assignment_id uuid,
        justification text,
        requested_start timestamptz,
        requested_end timestamptz,
        approval_due_at timestamptz,
        decided_by uuid REFERENCES users(id),
        decided_at timestamptz,
        decision_reason text,
        canceled_by uuid REFERENCES users(id),
        canceled_at timestamptz,
        cancel_reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    // At most one open request per user and package: the duplicate rule, race-proof.
    await q.query(`CREATE UNIQUE INDEX access_requests_one_open ON access_requests (target_user_id, package_id)
      WHERE state IN ('submitted', 'pendingApproval') AND type IN ('userAdd', 'userExtend')`);
    await q.query(
      `CREATE INDEX access_requests_package_idx ON access_requests (package_id, state, created_at)`,
    );
    await q.query(
      `CREATE INDEX access_requests_requestor_idx ON access_requests (target_user_id, created_at)`,
    );
    // Delivery mirrors an assignment's state onto the request that created it.
    await q.query(`CREATE INDEX access_requests_assignment_idx ON access_requests (assignment_id)
      WHERE assignment_id IS NOT NULL`);
    await q.query(`CREATE INDEX access_requests_approval_due_idx ON access_requests (approval_due_at)
      WHERE state = 'pendingApproval'`);

    // The approvers of each request as they stood when it was submitted: policy edits affect
    // only new requests.
    await q.query(`
      CREATE TABLE request_approvers (
        request_id uuid NOT NULL REFERENCES access_requests(id) ON DELETE CASCADE,
        user_id uuid REFERENCES users(id) ON DELETE CASCADE,
        group_id uuid REFERENCES groups(id) ON DELETE CASCADE,
        CHECK ((user_id IS NULL) <> (group_id IS NULL))
      )`);
    await q.query(`CREATE UNIQUE INDEX request_approvers_key ON request_approvers
      (request_id, coalesce(user_id, group_id))`);
    await q.query(
      `CREATE INDEX request_approvers_user_idx ON request_approvers (user_id) WHERE user_id IS NOT NULL`,
    );
    await q.query(
      `CREATE INDEX request_approvers_group_idx ON request_approvers (group_id) WHERE group_id IS NOT NULL`,
    );

    await q.query(`
      CREATE TABLE assignments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id),
        package_id uuid NOT NULL REFERENCES access_packages(id),
        policy_id uuid NOT NULL REFERENCES policies(id),
        policy_snapshot jsonb NOT NULL,
        state text NOT NULL CHECK (state IN ('scheduled', 'delivering', 'delivered', 'partiallyDelivered',
          'deliveryFailed', 'expired', 'removed')),
        start_at timestamptz NOT NULL,
        end_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        ended_at timestamptz,
        end_reason text,
        CHECK (end_at IS NULL OR end_at >= start_at)
      )`);
    await q.query(
      `ALTER TABLE access_requests ADD FOREIGN KEY (assignment_id) REFERENCES assignments(id)`,
    );
    await q.query(`CREATE UNIQUE INDEX assignments_one_active ON assignments (user_id, package_id)
      WHERE state NOT IN ('expired', 'removed')`);
    await q.query(`CREATE INDEX assignments_package_idx ON assignments (package_id, state)`);
    await q.query(`CREATE INDEX assignments_end_due_idx ON assignments (end_at)
      WHERE end_at IS NOT NULL AND state NOT IN ('expired', 'removed')`);
    await q.query(
      `CREATE INDEX assignments_start_due_idx ON assignments (start_at) WHERE state = 'scheduled'`,
    );

    await q.query(`
      CREATE TABLE fulfillments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        assignment_id uuid NOT NULL REFERENCES assignments(id) ON DELETE CASCADE,
        resource_role_id uuid NOT NULL REFERENCES resource_roles(id),
        action text NOT NULL CHECK (action IN ('grant', 'revoke')),
        state text NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        last_error text,
        next_attempt_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (assignment_id, resource_role_id)
      )`);
    await q.query(`CREATE INDEX fulfillments_due_idx ON fulfillments (next_attempt_at)
      WHERE state IN ('pending', 'failed')`);

    await q.query(`
      CREATE TABLE chat_messages (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        platform text NOT NULL CHECK (platform IN ('teams', 'slack')),
        conversation_id text NOT NULL,
        message_id text NOT NULL,
        recipient_user_id uuid REFERENCES users(id) ON DELETE SET NULL,
        subject_type text NOT NULL CHECK (subject_type IN ('request', 'assignment')),
        subject_id uuid NOT NULL,
        card text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (platform, conversation_id, message_id)
      )`);
    await q.query(
      `CREATE INDEX chat_messages_subject_idx ON chat_messages (subject_type, subject_id)`,
    );

    await q.query(`
      CREATE TABLE audit_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        at timestamptz NOT NULL,
        actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
        actor_label text NOT NULL,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}'
      )`);
    await q.query(
      `CREATE INDEX audit_events_subject_idx ON audit_events (subject_type, subject_id, id)`,
    );
    await q.query(`CREATE INDEX audit_events_at_idx ON audit_events (at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'audit_events',
      'chat_messages',
      'fulfillments',
      'request_approvers',
      'access_requests',
      'assignments',
      'policy_principals',
      'policies',
      'access_package_resource_roles',
      'access_packages',
      'resource_roles',
      'resources',
      'catalog_roles',
      'catalogs',
      'group_members',
      'groups',
      'directory_roles',
      'user_identities',
      'users',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table} CASCADE`);
    }
  }
}
