import path from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTestDb } from '../../../db/client';
import { sqliteStore } from '../../../db/store-sqlite';
import { addressKey } from '../../../server/auth/limits';
import { buildBank } from '../../../server/bank/bank';
import { createContext } from '../../../server/context';
import { clientOf, normaliseIp, parseTrustedProxies, type ForwardedRequest } from '../../../server/http/forwarded';
import { crossSite } from '../../../server/http/guards';

const request = (headers: Record<string, string>, peer: string | null = '203.0.113.7', encrypted = false): ForwardedRequest => ({
  header: (name) => headers[name],
  encrypted,
  peer: peer ?? undefined,
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe('client address', () => {
  it('is the socket peer, and X-Forwarded-* from a peer that is not a trusted proxy are ignored', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const spoofed = request({ 'x-forwarded-for': '198.51.100.1', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'evil.example', host: 'kakunin.test' }, '::ffff:203.0.113.7');
    expect(clientOf(spoofed, null)).toEqual({ address: '203.0.113.7', scheme: 'http', host: 'kakunin.test' });
    expect(clientOf(spoofed, parseTrustedProxies('10.0.0.0/8, ::1'))).toEqual({ address: '203.0.113.7', scheme: 'http', host: 'kakunin.test' });
    expect(clientOf(request({}, null), null).address).toBe('unknown');
    expect(clientOf(request({}, '203.0.113.7', true), null).scheme).toBe('https');
  });

  it('takes the right-most address of X-Forwarded-For that is not a trusted proxy, when the peer is one (addresses and CIDR)', () => {
    const proxies = parseTrustedProxies(' 127.0.0.1 , 10.0.0.0/8,fd00::/8 ');
    const via = (xff: string, peer = '127.0.0.1') => clientOf(request({ 'x-forwarded-for': xff }, peer), proxies).address;
    expect(via('198.51.100.1')).toBe('198.51.100.1');
    // the client wrote "6.6.6.6" itself; the proxy appended the address it saw
    expect(via('6.6.6.6, 198.51.100.1')).toBe('198.51.100.1');
    // two trusted hops (10.1.2.3 is another proxy, by CIDR), then the client
    expect(via('6.6.6.6, 198.51.100.1, 10.1.2.3', '::ffff:127.0.0.1')).toBe('198.51.100.1');
    expect(via('2001:db8::5, fd12::1', 'fd00::9')).toBe('2001:db8::5');
    expect(via('[2001:db8::6]:4711', '10.9.9.9')).toBe('2001:db8::6');
    expect(via('198.51.100.1:5555')).toBe('198.51.100.1');
    // nothing usable: the last hop that was a valid address
    expect(via('not-an-ip')).toBe('127.0.0.1');
    expect(via('garbage, 10.0.0.7')).toBe('10.0.0.7');
    // not from a proxy: the header is the client's own words
    expect(via('198.51.100.1', '192.0.2.1')).toBe('192.0.2.1');
  });

  it('takes the scheme and host from the nearest trusted proxy', () => {
    const proxies = parseTrustedProxies('127.0.0.1');
    const view = clientOf(request({ 'x-forwarded-proto': 'http, HTTPS', 'x-forwarded-host': 'evil.example, kakunin.example', host: '127.0.0.1:3000' }, '127.0.0.1'), proxies);
    expect(view).toEqual({ address: '127.0.0.1', scheme: 'https', host: 'kakunin.example' });
    expect(clientOf(request({ 'x-forwarded-proto': 'gopher', host: 'h' }, '127.0.0.1', true), proxies).scheme).toBe('https');
  });

  it('refuses a KAKUNIN_TRUSTED_PROXIES entry that is not an address or a subnet', () => {
    expect(parseTrustedProxies(undefined)).toBeNull();
    expect(parseTrustedProxies(' , ')).toBeNull();
    expect(() => parseTrustedProxies('10.0.0.0/33')).toThrow('KAKUNIN_TRUSTED_PROXIES: "10.0.0.0/33" は IP アドレスでも CIDR 表記のサブネット (例 10.0.0.0/8) でもありません。');
    expect(() => parseTrustedProxies('proxy.local')).toThrow('"proxy.local"');
    expect(() => parseTrustedProxies('10.0.0.0/8/1')).toThrow('"10.0.0.0/8/1"');
    expect(parseTrustedProxies('::1/128, 192.168.0.0/16')?.check('192.168.4.4', 'ipv4')).toBe(true);
  });

  it('normalises addresses, and keys IPv6 by its /64', () => {
    expect(normaliseIp('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(normaliseIp('[::1]')).toBe('::1');
    expect(normaliseIp('localhost')).toBeNull();
    expect(addressKey('203.0.113.7')).toBe('203.0.113.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:0db8:0001:0002::ff')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
  });

  it('gives the request context the socket address, or the forwarded one with KAKUNIN_TRUSTED_PROXIES', async () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const db = createTestDb();
    const bank = buildBank(path.resolve(__dirname, '..', '..', 'fixtures', 'questions'));
    const ctx = async (peer: string) => createContext({ header: (name) => ({ 'x-forwarded-for': '198.51.100.1', 'x-forwarded-proto': 'https' })[name], encrypted: false, peer }, { store: sqliteStore(db), bank });
    expect((await ctx('::ffff:192.0.2.44')).auth).toMatchObject({ address: '192.0.2.44', secure: false });
    vi.stubEnv('KAKUNIN_TRUSTED_PROXIES', '192.0.2.0/24');
    expect((await ctx('::ffff:192.0.2.44')).auth).toMatchObject({ address: '198.51.100.1', secure: true });
    expect((await ctx('192.0.3.1')).auth).toMatchObject({ address: '192.0.3.1', secure: false });
  });
});

describe('cross-site check (CSRF)', () => {
  const post = (origin: string | undefined, host: string | undefined, extra: Record<string, string> = {}, peer = '203.0.113.7', encrypted = false) =>
    crossSite(request({ ...(origin === undefined ? {} : { origin }), ...(host === undefined ? {} : { host }), ...extra }, peer, encrypted), parseTrustedProxies('127.0.0.1'));

  it('lets the same origin through, host names in any case and default ports written or not', () => {
    expect(post('http://localhost:3000', 'localhost:3000')).toBe(false);
    expect(post('http://LOCALHOST:3000', 'localhost:3000')).toBe(false);
    expect(post('http://localhost:3000', 'LocalHost:3000')).toBe(false);
    expect(post('http://kakunin.example', 'kakunin.example:80')).toBe(false);
    expect(post('https://kakunin.example:443', 'kakunin.example', {}, '203.0.113.7', true)).toBe(false);
    expect(post('http://[::1]:3000', '[::1]:3000')).toBe(false);
    // no Origin: a browser's same-origin or typed-in request, or a client that is not a browser
    expect(post(undefined, 'localhost:3000')).toBe(false);
    expect(post(undefined, 'localhost:3000', { 'sec-fetch-site': 'same-origin' })).toBe(false);
  });

  it('refuses another scheme, host or port, and origins that are not origins', () => {
    expect(post('https://localhost:3000', 'localhost:3000')).toBe(true); // this socket is not TLS
    expect(post('http://kakunin.example', 'kakunin.example', {}, '203.0.113.7', true)).toBe(true); // an http page posting to the https site
    expect(post('http://localhost:3001', 'localhost:3000')).toBe(true);
    expect(post('http://evil.example', 'localhost:3000')).toBe(true);
    expect(post('http://localhost', 'localhost:3000')).toBe(true);
    expect(post('null', 'localhost:3000')).toBe(true);
    expect(post('http://localhost:3000/path', 'localhost:3000')).toBe(true);
    expect(post('http://x@localhost:3000', 'localhost:3000')).toBe(true);
    expect(post('http://localhost:3000', undefined)).toBe(true);
    expect(post('http://evil.example', 'evil.example/x')).toBe(true);
    expect(post(undefined, 'localhost:3000', { 'sec-fetch-site': 'cross-site' })).toBe(true);
  });

  it('reads X-Forwarded-Host and -Proto only from a trusted proxy', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const forwarded = { 'x-forwarded-host': 'kakunin.example', 'x-forwarded-proto': 'https' };
    // from a stranger: the headers are ignored, so a page on evil.example cannot pose as this site's origin
    expect(post('http://evil.example', 'localhost:3000', { 'x-forwarded-host': 'evil.example' })).toBe(true);
    expect(post('https://kakunin.example', '127.0.0.1:3000', forwarded)).toBe(true);
    // from the proxy (127.0.0.1 is trusted here): the public origin is the proxy's
    expect(post('https://kakunin.example', '127.0.0.1:3000', forwarded, '127.0.0.1')).toBe(false);
    expect(post('https://KAKUNIN.example:443', '127.0.0.1:3000', forwarded, '127.0.0.1')).toBe(false);
    expect(post('http://kakunin.example', '127.0.0.1:3000', forwarded, '127.0.0.1')).toBe(true);
    expect(post('https://evil.example', '127.0.0.1:3000', forwarded, '127.0.0.1')).toBe(true);
  });
});
