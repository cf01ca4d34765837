// Failed logins per account, the OWASP way: no hard lock anyone could trigger from outside, but a growing delay.
// The first LOGIN_RATE_LIMIT failures within the window are free; after that each further failure makes the account
// wait 1 s, 2 s, 4 s … up to LOGIN_MAX_DELAY_SECONDS before the next attempt is even looked at. Attempts during the
// wait are refused (429, Retry-After) without counting, so a guesser gets one try per delay, and the right password
// from any address gets in after at most that wait. Per-address limits stay in front (express-rate-limit).
// State is per process and in memory, like the address limiter.
import type { Logger } from '../logger.js';

interface AccountFailures {
  failures: number;
  firstAt: number;
  lastAt: number;
  /** No attempt before this instant (ms); 0 = no delay. */
  notBefore: number;
  addresses: Set<string>;
}

export interface LoginFailureReport {
  email: string;
  failures: number;
  addresses: number;
  firstAt: string;
  lastAt: string;
  /** The next attempt is looked at from then on (null: no delay now). */
  delayedUntil: string | null;
}

export interface LoginGuardOptions {
  /** Failures per account within the window before the delays start. */
  freeFailures: number;
  maxDelaySec: number;
  windowMs: number;
  logger: Logger;
  /** Called when an account's failures reach freeFailures, and again at each doubling (for the audit log). */
  onRepeatedFailures?: (email: string, report: LoginFailureReport) => void;
  now?: () => number;
}

const MAX_TRACKED = 10_000;

export class LoginGuard {
  readonly #accounts = new Map<string, AccountFailures>();
  readonly #now: () => number;

  constructor(private readonly options: LoginGuardOptions) {
    this.#now = options.now ?? Date.now;
  }

  private key(email: string): string {
    return email.trim().toLowerCase();
  }

  private current(email: string): AccountFailures | undefined {
    const entry = this.#accounts.get(this.key(email));
    if (entry && this.#now() - entry.lastAt > this.options.windowMs) {
      this.#accounts.delete(this.key(email));
      return undefined;
    }
    return entry;
  }

  /** Milliseconds this account must still wait before an attempt is looked at (0: go ahead). */
  waitMs(email: string): number {
    const entry = this.current(email);
    return entry ? Math.max(0, entry.notBefore - this.#now()) : 0;
  }

  recordFailure(email: string, address: string): void {
    const now = this.#now();
    const key = this.key(email);
    let entry = this.current(email);
    if (!entry) {
      if (this.#accounts.size >= MAX_TRACKED) this.prune(now);
      entry = { failures: 0, firstAt: now, lastAt: now, notBefore: 0, addresses: new Set() };
      this.#accounts.set(key, entry);
    }
    entry.failures++;
    entry.lastAt = now;
    if (entry.addresses.size < 1000) entry.addresses.add(address);
    const over = entry.failures - this.options.freeFailures;
    if (over >= 0) {
      const delaySec = Math.min(2 ** over, this.options.maxDelaySec);
      entry.notBefore = now + delaySec * 1000;
    }
    const { failures } = entry;
    const free = this.options.freeFailures;
    if (failures >= free && Number.isInteger(Math.log2(failures / free))) {
      const report = this.reportOf(key, entry);
      this.options.logger.warn({ email: key, failures, addresses: report.addresses }, 'repeated failed logins');
      this.options.onRepeatedFailures?.(key, report);
    }
  }

  recordSuccess(email: string): void {
    this.#accounts.delete(this.key(email));
  }

  /** Accounts with at least freeFailures failures in the window, most failures first (for admins). */
  report(): LoginFailureReport[] {
    const now = this.#now();
    return [...this.#accounts.entries()]
      .filter(([, e]) => now - e.lastAt <= this.options.windowMs && e.failures >= this.options.freeFailures)
      .map(([email, e]) => this.reportOf(email, e))
      .sort((a, b) => b.failures - a.failures);
  }

  private reportOf(email: string, e: AccountFailures): LoginFailureReport {
    return {
      email,
      failures: e.failures,
      addresses: e.addresses.size,
      firstAt: new Date(e.firstAt).toISOString(),
      lastAt: new Date(e.lastAt).toISOString(),
      delayedUntil: e.notBefore > this.#now() ? new Date(e.notBefore).toISOString() : null,
    };
  }

  private prune(now: number): void {
    for (const [key, e] of this.#accounts) if (now - e.lastAt > this.options.windowMs) this.#accounts.delete(key);
    // still full: the oldest go (a flood of made-up addresses must not grow memory)
    for (const key of this.#accounts.keys()) {
      if (this.#accounts.size < MAX_TRACKED) break;
      this.#accounts.delete(key);
    }
  }
}
