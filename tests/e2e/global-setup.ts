import { ensureBuild } from '../../server/cli/build-state.mjs';

/** End-to-end tests run against the production build: make it once, only when the sources changed. */
export default function setup(): void {
  ensureBuild((message) => console.log(`[e2e] ${message}`));
}
