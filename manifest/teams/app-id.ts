import { PackagingError } from './packaging-error';

/** Used when MicrosoftAppId is unset: enough for the Agents Playground, refused by Teams. */
export const PLACEHOLDER_APP_ID = '00000000-0000-0000-0000-000000000000';

const GUID = /^[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}$/;

export interface AppId {
  id: string;
  /** Set when the placeholder is used. */
  warning?: string;
}

/**
 * The Azure bot's app id serves as both the bot id and the Teams app id. One id per deployment
 * keeps a staging and a production package apart in the same tenant (a second upload with the
 * same app id replaces the first), and there is no second id to keep in step.
 */
export function readAppId(env: NodeJS.ProcessEnv): AppId {
  // An empty value is how an unset variable looks in many .env files.
  const value = env.MicrosoftAppId;
  if (value === undefined || value === '') {
    return {
      id: PLACEHOLDER_APP_ID,
      warning:
        `MicrosoftAppId is not set: the package uses the placeholder id ${PLACEHOLDER_APP_ID} ` +
        'and works only in the Microsoft 365 Agents Playground and other local testing, not in Teams.',
    };
  }
  // The value is never echoed: a secret pasted into the wrong variable must not reach a log.
  if (!GUID.test(value)) {
    throw new PackagingError(
      "MicrosoftAppId must be the Azure bot's Microsoft App ID, a GUID (8-4-4-4-12 hex digits).",
    );
  }
  return { id: value };
}
