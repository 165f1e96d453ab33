import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type ConfigurationBotFrameworkAuthenticationOptions,
} from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Config } from '../../server/config';

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
  const auth = new ConfigurationBotFrameworkAuthentication(options, overrides.credentials);
  return new CloudAdapter(auth);
}
