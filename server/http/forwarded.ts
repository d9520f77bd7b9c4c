import { BlockList, isIP } from 'node:net';

/*
 * Who sent a request, and to which origin. The client address is the socket's peer. X-Forwarded-For, -Proto and
 * -Host are read only when that peer is a proxy listed in KAKUNIN_TRUSTED_PROXIES (comma-separated addresses and
 * CIDR subnets, e.g. "127.0.0.1, ::1, 10.0.0.0/8"): from anyone else they are whatever the client chose to send,
 * and trusting them let one client pose as any number of addresses (issue 15).
 */

/** What forwarded headers need of a request: its headers, whether it came over TLS, and the socket's peer. */
export interface ForwardedRequest {
  /** a request header by its lower-case name */
  header(name: string): string | undefined;
  /** the request came over TLS to this process */
  encrypted: boolean;
  /** the socket's remote address (`req.socket.remoteAddress`); absent for a request that did not come from a socket */
  peer?: string;
}

export interface ClientView {
  /** the client's address: the socket's peer, or the right-most address of X-Forwarded-For not of a trusted proxy */
  address: string;
  /** the scheme the client used: TLS on this socket, or a trusted proxy's X-Forwarded-Proto */
  scheme: 'http' | 'https';
  /** the host the client asked for: Host, or a trusted proxy's X-Forwarded-Host */
  host: string | undefined;
}

const familyOf = (ip: string) => (isIP(ip) === 6 ? 'ipv6' : 'ipv4');

/** An address as a canonical IP: brackets and a port taken off, IPv4-mapped IPv6 as IPv4; null when it is not an IP. */
export function normaliseIp(raw: string | undefined): string | null {
  if (!raw) return null;
  let ip = raw.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed) ip = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(':'));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  return isIP(ip) === 0 ? null : ip.toLowerCase();
}

/** Parses KAKUNIN_TRUSTED_PROXIES; null when it names none. Throws on an entry that is not an address or a subnet. */
export function parseTrustedProxies(spec: string | undefined): BlockList | null {
  const entries = (spec ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (entries.length === 0) return null;
  const list = new BlockList();
  for (const entry of entries) {
    const [base, prefix, ...rest] = entry.split('/');
    const ip = normaliseIp(base);
    const bits = prefix === undefined ? undefined : Number(prefix);
    const max = ip && isIP(ip) === 6 ? 128 : 32;
    if (!ip || rest.length > 0 || (bits !== undefined && (!/^\d+$/.test(prefix!) || bits > max))) {
      throw new Error(`KAKUNIN_TRUSTED_PROXIES: "${entry}" は IP アドレスでも CIDR 表記のサブネット (例 10.0.0.0/8) でもありません。`);
    }
    if (bits === undefined) list.addAddress(ip, familyOf(ip));
    else list.addSubnet(ip, bits, familyOf(ip));
  }
  return list;
}

let cached: { spec: string | undefined; list: BlockList | null } | undefined;

/** The trusted proxies of this process (parsed again only if the variable changes, which tests do). */
export function trustedProxies(): BlockList | null {
  const spec = process.env.KAKUNIN_TRUSTED_PROXIES;
  if (!cached || cached.spec !== spec) cached = { spec, list: parseTrustedProxies(spec) };
  return cached.list;
}

/** The right-most value of a comma-separated header: the one the nearest proxy set. */
function lastValue(value: string | undefined): string | undefined {
  const last = value?.split(',').at(-1)?.trim();
  return last === '' ? undefined : last;
}

let warned = false;

export function clientOf(request: ForwardedRequest, proxies: BlockList | null = trustedProxies()): ClientView {
  const peer = normaliseIp(request.peer);
  const direct: ClientView = { address: peer ?? 'unknown', scheme: request.encrypted ? 'https' : 'http', host: request.header('host') };
  const trusted = (ip: string) => proxies !== null && proxies.check(ip, familyOf(ip));
  if (peer === null || !trusted(peer)) {
    if (!warned && peer !== null && request.header('x-forwarded-for') !== undefined) {
      warned = true;
      console.warn(`X-Forwarded-* from ${peer} ignored: it is not in KAKUNIN_TRUSTED_PROXIES (set it when a reverse proxy runs in front of Kakunin).`);
    }
    return direct;
  }
  // Walk X-Forwarded-For from the right: each hop was appended by the one after it; stop at the first hop we do not
  // trust, which is the client as far as any trusted proxy knows. Everything left of it the client could have written.
  let address = peer;
  const hops = (request.header('x-forwarded-for') ?? '').split(',');
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = normaliseIp(hops[i]);
    if (hop === null) break;
    address = hop;
    if (!trusted(hop)) break;
  }
  const proto = lastValue(request.header('x-forwarded-proto'))?.toLowerCase();
  return {
    address,
    scheme: proto === 'https' || proto === 'http' ? proto : direct.scheme,
    host: lastValue(request.header('x-forwarded-host')) ?? direct.host,
  };
}
