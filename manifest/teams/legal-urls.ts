import { PackagingError } from './packaging-error';

const REPO_FILES = 'https://github.com/accessbot/accessbot/blob/main/manifest/teams';

/** Where Teams links "Privacy" and "Terms of use" in the app's details. */
export interface LegalUrls {
  privacyUrl: string;
  termsOfUseUrl: string;
}

const VARIABLES = { privacyUrl: 'TEAMS_PRIVACY_URL', termsOfUseUrl: 'TEAMS_TERMS_URL' } as const;

/**
 * The deploying organisation's own statements when it names them (TEAMS_PRIVACY_URL,
 * TEAMS_TERMS_URL), else Accessbot's, which say what the software keeps and under which
 * licence. Teams shows them to every user of the app and accepts https only.
 */
export function readLegalUrls(env: NodeJS.ProcessEnv): LegalUrls {
  const defaults: LegalUrls = {
    privacyUrl: `${REPO_FILES}/PRIVACY.md`,
    termsOfUseUrl: `${REPO_FILES}/TERMS.md`,
  };
  const urls = { ...defaults };
  for (const key of Object.keys(VARIABLES) as Array<keyof LegalUrls>) {
    const value = env[VARIABLES[key]];
    if (value === undefined || value === '') continue;
    if (!isHttps(value)) {
      throw new PackagingError(`${VARIABLES[key]} must be an https:// URL; it is "${value}".`);
    }
    urls[key] = value;
  }
  return urls;
}

function isHttps(value: string): boolean {
  try {
    return new URL(value).protocol === 'https:';
  } catch {
    return false;
  }
}
