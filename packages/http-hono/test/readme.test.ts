import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runReadmeExample } from '@eventlog/conformance/http';

runReadmeExample({
  name: 'hono',
  packageUrl: new URL('..', import.meta.url),
  async start() {
    const { server } = (await import('./readme-example')) as unknown as { server: Server };
    if (!server.listening) await once(server, 'listening');
    return {
      port: (server.address() as AddressInfo).port,
      async close() {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      },
    };
  },
  listPath: '/api/eventlogs/',
  viewerPath: '/admin/audit/',
});
