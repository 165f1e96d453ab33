import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { FakeGraph } from './fake-graph';

/**
 * The sign-in half of the fake: the tenant's OpenID metadata (which msal reads for an
 * authority it is told to trust) and the client-credentials token endpoint. Returns false for
 * any other path.
 */
export function handleEntra(
  fake: FakeGraph,
  method: string,
  url: URL,
  body: string,
  res: ServerResponse,
): boolean {
  const base = `/${fake.tenantId}`;
  const json = (status: number, payload: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(payload));
    return true;
  };
  if (method === 'GET' && url.pathname === `${base}/v2.0/.well-known/openid-configuration`) {
    const issuer = `${fake.origin}${base}`;
    return json(200, {
      issuer: `${issuer}/v2.0`,
      token_endpoint: `${issuer}/oauth2/v2.0/token`,
      authorization_endpoint: `${issuer}/oauth2/v2.0/authorize`,
      end_session_endpoint: `${issuer}/oauth2/v2.0/logout`,
      jwks_uri: `${issuer}/discovery/v2.0/keys`,
    });
  }
  if (method !== 'POST' || url.pathname !== `${base}/oauth2/v2.0/token`) return false;
  const form = new URLSearchParams(body);
  const clientId = form.get('client_id') ?? '';
  const scope = form.get('scope') ?? '';
  fake.tokenRequests.push({ clientId, scope });
  if (form.get('grant_type') !== 'client_credentials') {
    return json(400, { error: 'unsupported_grant_type', error_description: 'AADSTS70003' });
  }
  if (clientId !== fake.clientId || form.get('client_secret') !== fake.clientSecret) {
    return json(401, {
      error: 'invalid_client',
      error_description: 'AADSTS7000215: Invalid client secret provided.',
    });
  }
  if (!scope.split(' ').includes(`${fake.origin}/.default`)) {
    return json(400, { error: 'invalid_scope', error_description: 'AADSTS70011: Bad scope.' });
  }
  const token = randomBytes(24).toString('base64url');
  fake.tokens.set(token, {
    expiresAt: Date.now() + fake.tokenLifetimeSeconds * 1000,
    roles: [...fake.permissions],
  });
  return json(200, {
    token_type: 'Bearer',
    expires_in: fake.tokenLifetimeSeconds,
    ext_expires_in: fake.tokenLifetimeSeconds,
    access_token: token,
  });
}
