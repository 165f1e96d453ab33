import fs from 'node:fs';
import path from 'node:path';
import type { TeamsManifestV1D30 } from '@microsoft/app-manifest';
import JSZip from 'jszip';
import { readAppId } from './app-id';
import { readLegalUrls } from './legal-urls';
import { PackagingError } from './packaging-error';
import { checkManifest } from './schema-check';

export type TeamsManifest = TeamsManifestV1D30.TeamsManifestV1D30;

export const ZIP_NAME = 'accessbot.zip';
export const TEMPLATE_NAME = 'manifest.template.json';

const PACKAGE_JSON = path.resolve(__dirname, '../../package.json');
// Teams refuses an app version that is not plain MAJOR.MINOR.PATCH; the schema does not say so.
const TEAMS_VERSION = /^\d+\.\d+\.\d+$/;
const PLACEHOLDER = /\$\{\{(\w+)\}\}/g;

export interface BuildOptions {
  /** Where accessbot.zip is written; created when missing. */
  outDir: string;
  /** MicrosoftAppId, and TEAMS_PRIVACY_URL and TEAMS_TERMS_URL when set. */
  env: NodeJS.ProcessEnv;
  /** The template and its icons: this folder, unless a test brings its own. */
  sourceDir?: string;
}

export interface BuiltPackage {
  zipPath: string;
  manifest: TeamsManifest;
  warnings: string[];
}

/** Fills the manifest template, checks it against Microsoft's schema and zips it with its icons. */
export async function buildTeamsPackage(options: BuildOptions): Promise<BuiltPackage> {
  const { outDir, env, sourceDir = __dirname } = options;
  const appId = readAppId(env);
  const legal = readLegalUrls(env);
  const template = fs.readFileSync(path.join(sourceDir, TEMPLATE_NAME), 'utf8');
  const manifest = fillTemplate(template, {
    MicrosoftAppId: appId.id,
    PACKAGE_VERSION: packageVersion(),
    PRIVACY_URL: legal.privacyUrl,
    TERMS_URL: legal.termsOfUseUrl,
  });

  const problems = checkManifest(manifest);
  if (problems.length > 0) {
    throw new PackagingError(
      `manifest.json does not match its schema (${manifest.$schema}):\n  ${problems.join('\n  ')}`,
    );
  }

  const zip = new JSZip();
  zip.file('manifest.json', `${JSON.stringify(manifest, null, 2)}\n`);
  // The manifest names the icons, so the zip cannot hold other files than the ones it uses.
  for (const icon of new Set([manifest.icons.color, manifest.icons.outline])) {
    zip.file(icon, fs.readFileSync(path.join(sourceDir, icon)));
  }
  fs.mkdirSync(outDir, { recursive: true });
  const zipPath = path.join(outDir, ZIP_NAME);
  fs.writeFileSync(
    zipPath,
    await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' }),
  );
  return { zipPath, manifest, warnings: appId.warning ? [appId.warning] : [] };
}

function fillTemplate(template: string, values: Record<string, string>): TeamsManifest {
  const filled = template.replace(PLACEHOLDER, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new PackagingError(`${TEMPLATE_NAME} uses \${{${name}}}, which has no value`);
    }
    // Inside a JSON string: escaped, so no value can change the manifest's structure.
    return JSON.stringify(value).slice(1, -1);
  });
  return JSON.parse(filled) as TeamsManifest;
}

function packageVersion(): string {
  const { version } = JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string' || !TEAMS_VERSION.test(version)) {
    throw new PackagingError('package.json version must be MAJOR.MINOR.PATCH, as Teams requires');
  }
  return version;
}
