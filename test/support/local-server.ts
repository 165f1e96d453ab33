import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RequestListener } from 'node:http';

/** A fake platform service on 127.0.0.1, on a free port. */
export class LocalServer {
  /** The server itself, for fakes that also take WebSocket upgrades. */
  private constructor(readonly server: http.Server) {}

  static async start(handler: RequestListener): Promise<LocalServer> {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new LocalServer(server);
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    // SDK clients keep connections alive; they would hold the test process open.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
