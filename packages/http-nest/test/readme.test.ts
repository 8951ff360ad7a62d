import type { AddressInfo } from 'node:net';
import { runReadmeExample } from '@eventlog/conformance/http';

runReadmeExample({
  name: 'nest',
  packageUrl: new URL('..', import.meta.url),
  async start() {
    const { app } = await import('./readme-example');
    const { port } = app.getHttpServer().address() as AddressInfo;
    return { port, close: () => app.close() };
  },
  listPath: '/eventlogs/',
  archiveStatus: 201,
});
