import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import {
  AuthenticationConfiguration,
  AuthenticationConstants,
  AuthenticationError,
  type AuthenticateRequestResult,
  type Claim,
  type ClaimsIdentity,
  type ConnectorFactory,
  type UserTokenClient,
  type ServiceClientCredentialsFactory,
} from 'botframework-connector';
import type { Activity } from 'botbuilder';
import type { Config } from '../../server/config';
import { ClientCache } from './client-cache';

export type TeamsAuthConfig = Pick<
  Config,
  'microsoftAppId' | 'microsoftAppPassword' | 'microsoftAppType' | 'microsoftAppTenantId'
>;

/**
 * Where botbuilder fetches the keys that sign incoming activities and gets tokens for
 * outgoing ones. Tests point these at local servers; production leaves them to the SDK's
 * public-cloud defaults. There is no setting that turns validation off: with an app id,
 * every activity's JWT is checked.
 */
export interface BotFrameworkEndpoints {
  ToBotFromChannelOpenIdMetadataUrl: string;
  ToBotFromEmulatorOpenIdMetadataUrl: string;
  ToChannelFromBotLoginUrl: string;
  ToChannelFromBotOAuthScope: string;
  ToBotFromChannelTokenIssuer: string;
  OAuthUrl: string;
  CallerId: string;
}

export function createTeamsAdapter(
  config: TeamsAuthConfig,
  overrides: {
    endpoints?: BotFrameworkEndpoints;
    credentials?: ServiceClientCredentialsFactory;
  } = {},
): CloudAdapter {
  const options: Partial<ConfigurationBotFrameworkAuthenticationOptions> = {
    MicrosoftAppId: config.microsoftAppId ?? '',
    MicrosoftAppPassword: config.microsoftAppPassword ?? '',
    MicrosoftAppType: config.microsoftAppType,
    MicrosoftAppTenantId: config.microsoftAppTenantId ?? '',
    ...(overrides.endpoints && { ...overrides.endpoints, ValidateAuthority: false }),
  };
  // The Bot Connector client retries a 429 or 503 itself after its Retry-After (three times);
  // what still fails comes back to the outbox dispatcher, which reschedules it.
  const auth = new StrictAuthentication(
    options,
    overrides.credentials,
    new AuthenticationConfiguration([], channelTokensOnly),
  );
  return new CloudAdapter(auth);
}

/**
 * botbuilder also accepts Emulator, skill and App Service Extension tokens: Azure AD tokens
 * that name our app as their client. This bot talks to Teams only, whose tokens the Bot
 * Framework issues.
 */
async function channelTokensOnly(claims: Claim[]) {
  const issuer = claims.find((c) => c.type === AuthenticationConstants.IssuerClaim)?.value;
  if (issuer !== AuthenticationConstants.ToBotFromChannelTokenIssuer) {
    throw new AuthenticationError(
      'Unauthorized. Only Bot Framework channel tokens are accepted.',
      401,
    );
  }
}

/**
 * Clients for replies are kept across turns (client-cache.ts).
 *
 * botbuilder reports some refusals (a signature that does not verify) as plain errors, which
 * CloudAdapter answers with 500 and the error's text. Every failure to authenticate is a 401.
 */
class StrictAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly clients = new ClientCache();

  override createConnectorFactory(claims: ClaimsIdentity): ConnectorFactory {
    return this.clients.connectorFactory(claims, () => super.createConnectorFactory(claims));
  }

  override createUserTokenClient(claims: ClaimsIdentity): Promise<UserTokenClient> {
    return this.clients.userTokenClient(claims, () => super.createUserTokenClient(claims));
  }

  override async authenticateRequest(
    activity: Activity,
    authHeader: string,
  ): Promise<AuthenticateRequestResult> {
    try {
      const result = await super.authenticateRequest(activity, authHeader);
      const made = result.connectorFactory;
      if (!made) return result;
      const connectorFactory = this.clients.connectorFactory(result.claimsIdentity, () => made);
      return { ...result, connectorFactory };
    } catch (err) {
      if (err instanceof AuthenticationError) throw err;
      throw new AuthenticationError('Unauthorized. The token could not be verified.', 401);
    }
  }
}
