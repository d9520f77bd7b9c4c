import { isIP } from 'node:net';
import { hashPassword, verifyPassword } from './password';
import { storeLimitState } from '../../db/limit-state';
import type { Store } from '../../db/store';
import { MemoryLimitState, type LimitState } from './limit-state';
import { Backoff, RateLimiter, WorkSlots, type BackoffSettle } from './rate-limit';

/*
 * The sign-in and sign-up limits (issue 15). Every attempt is counted when it is reserved, before the password is
 * checked, and settled when the check ends, so parallel requests see each other: 40 guesses sent at once get no more
 * checks than 40 sent one by one.
 *
 * Sign-in, per account (the normalised e-mail, whether or not an account has it, so the answers say nothing about
 * which exist):
 *   - 5 failures cost nothing. After the 5th the account waits 1 s before its next attempt, after the 6th 2 s, and
 *     so on, doubling up to 15 minutes. A success starts it again from zero; a day without attempts forgets it.
 *     So five wrong passwords from an attacker cost the owner one second, not 15 minutes, and a patient attacker
 *     gets about 15 guesses in the first 20 minutes and then 4 an hour (~100 a day).
 *   - A known device does not wait for the account: a browser that signed in to this account before holds a device
 *     cookie signed with the account's password hash (server/auth/sessions.ts), and gets its own 5 failures per
 *     15 minutes instead. An attacker who keeps the account waiting does not keep its owner out on the owner's
 *     own devices; the attacker cannot forge the cookie, and a new password voids every one issued.
 * Sign-in, per client address (IPv6 by /64): 20 failures per 15 minutes over all accounts, so one client cannot
 * try one password on many accounts quickly. Known devices do not count here either (a class behind one NAT
 * address is not locked out by a few typos). The address is the socket's, or a trusted proxy's X-Forwarded-For.
 * Sign-up: 5 attempts per address and 100 in all per hour (KAKUNIN_SIGNUPS_PER_ADDRESS, KAKUNIN_SIGNUPS_PER_HOUR).
 * scrypt (hashing and checking, ~32 MiB and a core for a fraction of a second each): at most 2 at once and 16
 * waiting; beyond that the request is refused at once as busy, so a flood neither stalls the other requests nor
 * takes libuv's thread pool (4 threads) from the pages' file reads.
 * The counters live in the database (table limit_state): several app processes on one PostgreSQL share them, so
 * sending attempts to another process gains nothing. The scrypt slots are each process's own (its CPU).
 */
export const SIGN_IN_BACKOFF = { free: 5, baseMs: 1_000, maxMs: 15 * 60_000, forgetMs: 24 * 3_600_000 } as const;
export const ADDRESS_FAILURES = { limit: 20, windowMs: 15 * 60_000 } as const;
export const DEVICE_FAILURES = { limit: 5, windowMs: 15 * 60_000 } as const;
export const SIGN_UPS = { perAddress: 5, total: 100, windowMs: 3_600_000 } as const;
export const SCRYPT_SLOTS = { slots: 2, queue: 16 } as const;

/** How passwords are hashed and checked (tests pass a counting or a slow one). */
export interface PasswordWork {
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
}

export const scryptPasswords: PasswordWork = { hash: hashPassword, verify: verifyPassword };

export interface AuthLimitsOptions {
  now?: () => number;
  /** where the counters live (the app: the database's; default: this process's memory) */
  state?: LimitState;
  /** the scrypt slots (the app shares one set per process) */
  scrypt?: WorkSlots;
  passwords?: PasswordWork;
  scryptSlots?: number;
  scryptQueue?: number;
  signUpsPerAddress?: number;
  signUpsTotal?: number;
}

/** The key of an address for the limits: IPv6 by its /64 (one subscriber usually holds a whole /64). */
export function addressKey(address: string): string {
  if (isIP(address) !== 6) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const left = head === '' ? [] : head.split(':');
  const right = address.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = address.includes('::') ? [...left, ...Array<string>(Math.max(0, 8 - left.length - right.length)).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** A sign-in attempt that was let through: settle it once the password has been checked. */
export interface SignInAttempt {
  /** 'device' when a known device's own allowance let it through */
  via: 'device' | 'account';
  succeed(): Promise<void>;
  fail(): Promise<void>;
  /** the password was never checked (busy): nothing counts */
  cancel(): Promise<void>;
}

export type SignInRefusal = { ok: false; reason: 'account' | 'address'; retryAfterMs: number };
export type SignUpRefusal = { ok: false; reason: 'address' | 'total'; retryAfterMs: number };

export class AuthLimits {
  readonly passwords: PasswordWork;
  private readonly accounts: Backoff;
  private readonly addresses: RateLimiter;
  private readonly devices: RateLimiter;
  private readonly signUpsByAddress: RateLimiter;
  private readonly signUps: RateLimiter;
  private readonly scrypt: WorkSlots;

  constructor(options: AuthLimitsOptions = {}) {
    const now = options.now ?? Date.now;
    const state = options.state ?? new MemoryLimitState();
    const limiter = (name: string) => ({ name, state, now });
    this.passwords = options.passwords ?? scryptPasswords;
    this.accounts = new Backoff(SIGN_IN_BACKOFF, limiter('sign-in-account'));
    this.addresses = new RateLimiter(ADDRESS_FAILURES.limit, ADDRESS_FAILURES.windowMs, limiter('sign-in-address'));
    this.devices = new RateLimiter(DEVICE_FAILURES.limit, DEVICE_FAILURES.windowMs, limiter('sign-in-device'));
    this.signUpsByAddress = new RateLimiter(options.signUpsPerAddress ?? SIGN_UPS.perAddress, SIGN_UPS.windowMs, limiter('sign-up-address'));
    this.signUps = new RateLimiter(options.signUpsTotal ?? SIGN_UPS.total, SIGN_UPS.windowMs, limiter('sign-up-total'));
    this.scrypt = options.scrypt ?? new WorkSlots(options.scryptSlots ?? SCRYPT_SLOTS.slots, options.scryptQueue ?? SCRYPT_SLOTS.queue);
  }

  /**
   * Reserves a sign-in attempt at `account` from `address`; `device` is the id of a known device of this account
   * (a verified device cookie), or null. The attempt counts from the moment it is reserved, in every app process.
   */
  async reserveSignIn(input: { account: string; address: string; device: string | null }): Promise<{ ok: true; attempt: SignInAttempt } | SignInRefusal> {
    if (input.device !== null) {
      const device = `${input.account}\n${input.device}`;
      const reserved = await this.devices.reserve(device);
      if (reserved.ok) {
        return {
          ok: true,
          attempt: { via: 'device', succeed: () => this.devices.reset(device), fail: async () => undefined, cancel: reserved.release },
        };
      }
      // the device used up its own allowance: it is treated like any other from here
    }
    const address = addressKey(input.address);
    const byAddress = await this.addresses.reserve(address);
    if (!byAddress.ok) return { ok: false, reason: 'address', retryAfterMs: byAddress.retryAfterMs };
    const account = await this.accounts.reserve(input.account);
    if (!account.ok) {
      await byAddress.release();
      return { ok: false, reason: 'account', retryAfterMs: account.retryAfterMs };
    }
    const settle: BackoffSettle = account.settle;
    return {
      ok: true,
      attempt: {
        via: 'account',
        // a success is not a failure of the address; the address's other failures stay
        succeed: async () => (await settle.succeed(), await byAddress.release()),
        fail: () => settle.fail(),
        cancel: async () => (await settle.cancel(), await byAddress.release()),
      },
    };
  }

  /** Reserves a sign-up attempt from `address`; `release` gives it back if it was never made (busy). */
  async reserveSignUp(address: string): Promise<{ ok: true; release: () => Promise<void> } | SignUpRefusal> {
    const key = addressKey(address);
    const byAddress = await this.signUpsByAddress.reserve(key);
    if (!byAddress.ok) return { ok: false, reason: 'address', retryAfterMs: byAddress.retryAfterMs };
    const total = await this.signUps.reserve('*');
    if (!total.ok) {
      await byAddress.release();
      return { ok: false, reason: 'total', retryAfterMs: total.retryAfterMs };
    }
    return { ok: true, release: async () => (await byAddress.release(), await total.release()) };
  }

  /** Hashes in a scrypt slot; BusyError when the slots and their queue are full. */
  hash(password: string): Promise<string> {
    return this.scrypt.run(() => this.passwords.hash(password));
  }

  /** Checks in a scrypt slot; BusyError when the slots and their queue are full. */
  verify(password: string, stored: string): Promise<boolean> {
    return this.scrypt.run(() => this.passwords.verify(password, stored));
  }

  /** for tests: failures counted for an account */
  accountFailures(account: string): Promise<number> {
    return this.accounts.failures(account);
  }
}

function positiveInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`${name} は正の整数で指定してください（いま "${raw}"）。`);
  return value;
}

/** The scrypt slots of this process: every store's limits share them (they guard this process's CPU). */
let scryptSlots: WorkSlots | undefined;
const shared = new WeakMap<Store, AuthLimits>();

/** The limits of the app on `store`, their counters in its limit_state table. */
export function authLimits(store: Store): AuthLimits {
  let limits = shared.get(store);
  if (!limits) {
    scryptSlots ??= new WorkSlots(SCRYPT_SLOTS.slots, SCRYPT_SLOTS.queue);
    limits = new AuthLimits({
      state: storeLimitState(store),
      scrypt: scryptSlots,
      signUpsPerAddress: positiveInt('KAKUNIN_SIGNUPS_PER_ADDRESS', SIGN_UPS.perAddress),
      signUpsTotal: positiveInt('KAKUNIN_SIGNUPS_PER_HOUR', SIGN_UPS.total),
    });
    shared.set(store, limits);
  }
  return limits;
}
