import fs from 'node:fs';
import { TEST_SERVER_KEY, type TestServer } from './global-setup';

export default async function globalTeardown() {
  const server = (globalThis as Record<string, unknown>)[TEST_SERVER_KEY] as TestServer | undefined;
  await server?.embedded?.stop();
  if (server?.tmpDir) fs.rmSync(server.tmpDir, { recursive: true, force: true });
}
