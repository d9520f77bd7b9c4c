// The round-robin proxy of tests/e2e in a process of its own, for bench/load.ts --nodes N: like a real balancer it
// does not share the load generator's event loop. Started with the nodes' URLs as arguments and an IPC channel: it
// sends { url } once listening, and on "stop" sends { served } (requests per node) and exits.
import { startRoundRobinProxy } from '../tests/e2e/round-robin-proxy';

const upstreams = process.argv.slice(2);
const proxy = await startRoundRobinProxy(upstreams);
process.send!({ url: proxy.url });
process.on('message', (message) => {
  if (message !== 'stop') return;
  const served = upstreams.map((_, i) => proxy.served.filter((n) => n === i).length);
  process.send!({ served }, () => {
    void proxy.close().then(() => process.exit(0));
  });
});
