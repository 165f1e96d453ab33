import { AuthError, ConfidentialClientApplication } from '@azure/msal-node';
import type { AuthenticationProvider } from '@microsoft/microsoft-graph-client';
import { msalNetworkClient, type Transport } from './transport';

export interface AppCredentials {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** https://login.microsoftonline.com, or a national cloud's sign-in host. */
  authorityUrl: string;
}

/** A failed sign-in, named so that the Graph client's wrapping of it can be recognised. */
export class SignInError extends Error {
  override name = 'SignInError';
}

/** "invalid_client (AADSTS7000215: Invalid client secret provided.)": the code and Entra's why. */
function describe(err: AuthError): string {
  const entra = err.errorMessage.match(/AADSTS\d+:.*?(?= - |$)/m)?.[0];
  return entra ? `${err.errorCode} (${entra})` : err.errorCode || err.message;
}

/**
 * App-only tokens for Graph by the client-credentials flow. msal keeps the token in its cache
 * and asks for a new one only when it is about to expire.
 */
export class AppSignIn implements AuthenticationProvider {
  private readonly msal: ConfidentialClientApplication;
  private readonly scope: string;

  constructor(
    private readonly credentials: AppCredentials,
    graphApiUrl: string,
    transport: Transport,
  ) {
    const authority = new URL(credentials.authorityUrl);
    this.msal = new ConfidentialClientApplication({
      auth: {
        clientId: credentials.clientId,
        clientSecret: credentials.clientSecret,
        authority: `${authority.origin}/${credentials.tenantId}`,
        // The configured host is trusted as given: no instance discovery through the public
        // cloud, which a national cloud or a test's fake need not be reachable from.
        knownAuthorities: [authority.host],
      },
      system: { networkClient: msalNetworkClient(transport) },
    });
    this.scope = `${new URL(graphApiUrl).origin}/.default`;
  }

  async getAccessToken(): Promise<string> {
    let result;
    try {
      result = await this.msal.acquireTokenByClientCredential({ scopes: [this.scope] });
    } catch (err) {
      // msal's messages carry the Entra error code (AADSTS…) and never the secret.
      const reason = err instanceof AuthError ? describe(err) : String(err);
      throw new SignInError(
        `Could not sign in to Microsoft Entra as app ${this.credentials.clientId} in tenant ${this.credentials.tenantId}: ${reason}.`,
      );
    }
    if (!result?.accessToken) {
      throw new SignInError(`Microsoft Entra gave app ${this.credentials.clientId} no token.`);
    }
    return result.accessToken;
  }
}
