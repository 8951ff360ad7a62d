import { buildUi } from '../build-ui';

/** Builds the viewer's UI once per test run: its mounts serve dist/ui, which tests must not race for. */
export default async function setup(): Promise<void> {
  await buildUi();
}
