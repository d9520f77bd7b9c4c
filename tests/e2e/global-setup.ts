import { ensureBuild } from '../../server/cli/build-state.mjs';

/** End-to-end tests run against the production build: make it once, only when the sources changed. */
export default async function setup(): Promise<void> {
  await ensureBuild((message) => console.log(`[e2e] ${message}`));
}
