import { buildServerBundles } from '../server/cli/build-state.mjs';

/** Router tests grade code in real worker threads: bundle the thread once per run. */
export default async function setup(): Promise<void> {
  await buildServerBundles();
}
