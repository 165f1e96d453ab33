import fs from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { PackagingError } from './packaging-error';

// Microsoft publishes the schema under a localised path (/en-us/) and an unlocalised one.
const TEAMS_SCHEMA_URL =
  /^https:\/\/developer\.microsoft\.com\/(?:[a-z]{2}-[a-z]{2}\/)?json-schemas\/teams\/(v1\.\d+)\/MicrosoftTeams\.schema\.json$/;

/** Microsoft's Teams manifest schemas, one folder per version (v1.0 … v1.30, vDevPreview). */
export const SCHEMAS_DIR = path.join(
  path.dirname(require.resolve('@microsoft/app-manifest/package.json')),
  'build/json-schemas/teams',
);

/** The copy of a manifest's `$schema` that `@microsoft/app-manifest` ships: no network. */
export function shippedSchemaPath(schemaUrl: unknown): string {
  const version = typeof schemaUrl === 'string' ? TEAMS_SCHEMA_URL.exec(schemaUrl)?.[1] : undefined;
  const file = version && path.join(SCHEMAS_DIR, version, 'MicrosoftTeams.schema.json');
  if (!file || !fs.existsSync(file)) {
    throw new PackagingError(
      `manifest $schema must be a Teams schema URL whose version @microsoft/app-manifest ships (${SCHEMAS_DIR})`,
    );
  }
  return file;
}

/**
 * Checks a manifest against the schema its `$schema` names; returns one line per problem.
 *
 * Microsoft's schemas declare draft-04, which ajv 8 itself does not offer (Microsoft's own
 * validator uses the separate ajv-draft-04 package, which we do not depend on). They use no
 * keyword whose meaning changed after draft-04 (no `id`, no boolean `exclusiveMinimum` or
 * `exclusiveMaximum`; test/manifest checks this), so ajv's draft-07 class reads them the same.
 */
export function checkManifest(manifest: { $schema?: unknown }): string[] {
  const file = shippedSchemaPath(manifest.$schema);
  const { $schema: _draft04, ...schema } = JSON.parse(fs.readFileSync(file, 'utf8'));
  // Loose type declarations in Microsoft's schema are theirs to fix; only warnings would follow.
  const ajv = new Ajv({ allErrors: true, strictTypes: false });
  addFormats(ajv);
  const validate = ajv.compile(schema);
  if (validate(manifest)) return [];
  return (validate.errors ?? []).map(
    (e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'} ${JSON.stringify(e.params)}`,
  );
}
