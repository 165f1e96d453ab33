import {
  ConnectorFactory,
  type ClaimsIdentity,
  type ConnectorClient,
  type UserTokenClient,
} from 'botframework-connector';

/** Distinct (app, service URL, audience) triples kept; Teams uses a handful of service URLs. */
const MAX_ENTRIES = 64;

/**
 * botbuilder builds a new Bot Connector client, with its whole HTTP pipeline, for every
 * incoming activity, and a user token client too: together most of the CPU an invoke costs
 * the SDK. Both are stateless apart from their credentials, which fetch and cache their own
 * tokens, so one per app and endpoint serves every turn.
 */
export class ClientCache {
  private readonly connectors = new Map<string, Promise<ConnectorClient>>();
  private readonly tokenClients = new Map<string, Promise<UserTokenClient>>();

  connectorFactory(claims: ClaimsIdentity, inner: () => ConnectorFactory): ConnectorFactory {
    return new CachedConnectorFactory(this.connectors, appOf(claims), inner);
  }

  userTokenClient(
    claims: ClaimsIdentity,
    create: () => Promise<UserTokenClient>,
  ): Promise<UserTokenClient> {
    return remember(this.tokenClients, appOf(claims), create);
  }
}

// Defined once: a class defined in each turn gives each turn's factory hidden classes of its
// own, and the SDK's calls on it never settle on one shape.
class CachedConnectorFactory extends ConnectorFactory {
  constructor(
    private readonly cache: Map<string, Promise<ConnectorClient>>,
    private readonly app: string,
    private readonly inner: () => ConnectorFactory,
  ) {
    super();
  }

  create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    return remember(this.cache, `${this.app}|${serviceUrl}|${audience ?? ''}`, () =>
      this.inner().create(serviceUrl, audience),
    );
  }
}

/** The claims a client depends on: whose app it acts for. */
const appOf = (claims: ClaimsIdentity) =>
  ['aud', 'appid', 'azp', 'ver'].map((type) => claims.getClaimValue(type) ?? '').join('|');

function remember<T>(cache: Map<string, Promise<T>>, key: string, create: () => Promise<T>) {
  let entry = cache.get(key);
  if (!entry) {
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value!);
    entry = create();
    // A failed creation is not kept: the next turn tries again.
    entry.catch(() => cache.delete(key));
    cache.set(key, entry);
  }
  return entry;
}
