import type { AddressInfo } from 'node:net';
import { runReadmeExample } from '@eventlog/conformance/http';

runReadmeExample({
  name: 'fastify',
  packageUrl: new URL('..', import.meta.url),
  async start() {
    const { app } = await import('./readme-example');
    return { port: (app.server.address() as AddressInfo).port, close: () => app.close() };
  },
  listPath: '/api/eventlogs/',
  viewerPath: '/admin/audit/',
});
