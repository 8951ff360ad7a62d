import { describe } from 'vitest';
import { accessContract } from './access';
import { badInputContract } from './bad-input';
import { contextContract } from './context';
import { countContract } from './count';
import { exportContract } from './export';
import { integrityContract } from './integrity';
import { listContract } from './list';
import { openApiContract } from './openapi';
import { paginationContract } from './pagination';
import { seedFormatContract } from './seed-format';
import { stateContract } from './state';
import type { HttpContractOptions } from './types';

export { type ReadmeExampleOptions, runReadmeExample } from './readme-example';
export type { ContractAccess, ContractApp, ContractNative, HttpContractOptions } from './types';

/** Mount points every framework package is tested at: the root and under a base path. */
export const CONTRACT_BASE_PATHS = ['', '/api/eventlogs'] as const;

/**
 * The HTTP contract suite: every framework package runs it through supertest, mounted at the
 * root and under a base path, over the storage `options.createStorage` builds.
 */
export function runHttpContract(options: HttpContractOptions): void {
  for (const base of CONTRACT_BASE_PATHS) {
    describe(`HTTP contract: ${options.name} mounted at ${base || '/'}`, () => {
      listContract(options, base);
      countContract(options, base);
      paginationContract(options, base);
      badInputContract(options, base);
      accessContract(options, base);
      seedFormatContract(options, base);
      contextContract(options, base);
      openApiContract(options, base);
      exportContract(options, base);
      stateContract(options, base);
      integrityContract(options, base);
    });
  }
}
