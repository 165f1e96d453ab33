import { ClaimsIdentity, ConnectorFactory, type ConnectorClient } from 'botframework-connector';
import { ClientCache } from '../../bot/teams/client-cache';

// botbuilder would build a Bot Connector client per activity; the cache keeps one per app and
// endpoint, and never keeps a failure.

class CountingFactory extends ConnectorFactory {
  made = 0;
  failNext = false;

  async create(serviceUrl: string): Promise<ConnectorClient> {
    this.made++;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('token endpoint down');
    }
    return { serviceUrl } as unknown as ConnectorClient;
  }
}

const claims = (appId: string) => new ClaimsIdentity([{ type: 'aud', value: appId }], true);

test('one client per app and service url, shared by every turn', async () => {
  const cache = new ClientCache();
  const inner = new CountingFactory();
  const first = await cache.connectorFactory(claims('app-a'), () => inner).create('https://x/');
  const again = await cache.connectorFactory(claims('app-a'), () => inner).create('https://x/');
  expect(again).toBe(first);
  expect(inner.made).toBe(1);
  await cache.connectorFactory(claims('app-a'), () => inner).create('https://y/');
  await cache.connectorFactory(claims('app-b'), () => inner).create('https://x/');
  expect(inner.made).toBe(3);
});

test('a failed creation is tried again on the next turn', async () => {
  const cache = new ClientCache();
  const inner = new CountingFactory();
  inner.failNext = true;
  const factory = () => cache.connectorFactory(claims('app-a'), () => inner);
  await expect(factory().create('https://x/')).rejects.toThrow('token endpoint down');
  await expect(factory().create('https://x/')).resolves.toEqual({ serviceUrl: 'https://x/' });
  expect(inner.made).toBe(2);
});
