// Failed credential checks counted per client address (admin-token guessing, limbo password guessing), so one
// source that keeps failing is slowed down, while nobody else is: the count belongs to the address, never to
// the account or token guessed at. After FREE_FAILURES failures within WINDOW_MS, each further failure locks
// the address for 1 s, 2 s, 4 s … (at most MAX_LOCK_MS); while locked, its requests are refused with 429 and
// Retry-After before any other work (no body read, no password hash). A success does not reset the count:
// knowing one password must not buy more guesses at others.
//
// Addresses are the connection's (Fastify's `req.ip`). Loopback addresses (127.0.0.0/8, ::1) are not counted:
// a reverse proxy on the same machine connects from there for every client, so the address says nothing about
// who is guessing, and counting it would let one client lock everyone out. (A proxy on another machine has the
// same problem: every client then has its address; LABELMUX_TRUST_PROXY makes `req.ip` the forwarded client's.) IPv6 addresses count per /64, the block one host is usually given, so a host cannot dodge the count
// by rotating through its own addresses. Counted in this process's memory (at most MAX_ADDRESSES addresses,
// the oldest forgotten first): a restart forgets the counts, and several instances count separately.
import { CoreError } from '../core/index.js';

export const FREE_FAILURES = 20;
export const WINDOW_MS = 15 * 60_000;
export const MAX_LOCK_MS = 15 * 60_000;
export const MAX_ADDRESSES = 100_000;

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/i;

interface Entry {
  failures: number;
  lastFailedAt: number;
  lockedUntil: number;
}

/** The address failures are counted under: IPv4 as is (also when IPv4-mapped), IPv6 by its first 64 bits. */
export function addressKey(ip: string): string {
  const v4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (v4) return v4[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail] = ip.toLowerCase().split('::');
  const groups = head === '' ? [] : head.split(':');
  if (tail !== undefined && groups.length < 4) {
    const rest = tail === '' ? [] : tail.split(':');
    groups.push(...Array<string>(Math.max(0, 8 - groups.length - rest.length)).fill('0'), ...rest);
  }
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

export class AddressThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly what: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws LIMIT_EXCEEDED (429, Retry-After) while the address is locked. */
  check(ip: string): void {
    if (LOOPBACK.test(ip)) return;
    const entry = this.entries.get(addressKey(ip));
    const at = this.now();
    if (entry && entry.lockedUntil > at) {
      const retryAfterSeconds = Math.max(1, Math.ceil((entry.lockedUntil - at) / 1000));
      throw new CoreError('LIMIT_EXCEEDED', `Too many failed ${this.what} from this address. Retry after ${retryAfterSeconds} s.`, { rule: 'address', retryAfterSeconds });
    }
  }

  /** Forgets every address's failures (a sandbox reset). */
  clear(): void {
    this.entries.clear();
  }

  /** Counts one failure of the address (from zero again when its last one is older than the window). */
  fail(ip: string): void {
    if (LOOPBACK.test(ip)) return;
    const key = addressKey(ip);
    const at = this.now();
    const prior = this.entries.get(key);
    const failures = prior && prior.lastFailedAt > at - WINDOW_MS ? prior.failures + 1 : 1;
    const lockedUntil = failures <= FREE_FAILURES ? 0 : at + Math.min(2 ** (failures - FREE_FAILURES - 1) * 1000, MAX_LOCK_MS);
    this.entries.delete(key); // re-inserted last: the Map's order is the order of last failures
    this.entries.set(key, { failures, lastFailedAt: at, lockedUntil });
    if (this.entries.size > MAX_ADDRESSES) this.entries.delete(this.entries.keys().next().value!);
  }
}
