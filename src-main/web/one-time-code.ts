/**
 * A one-time code the web host prints in its terminal, for an action a script in the page
 * must not be able to take on its own (an export with secrets in clear). One code at a time:
 * asking again replaces it. It works once, for `ttlMs`, and is void after `maxTries` wrong
 * guesses. Only its digest is kept, and guesses are compared in constant time.
 */
import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import { systemClock, type Clock } from '../core';

/** No 0/O, 1/I/L: read off a terminal and typed by hand. */
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const LENGTH = 8;

export type Redeemed = 'ok' | 'none' | 'wrong' | 'expired' | 'too-many-tries';

export interface OneTimeCodeOptions {
  clock?: Clock;
  /** How long a code works (default 5 minutes). */
  ttlMs?: number;
  /** Wrong guesses before the code is void (default 5). */
  maxTries?: number;
  /** Random index below `max` (tests fix it); default crypto.randomInt. */
  random?: (max: number) => number;
}

interface Pending {
  digest: Buffer;
  expiresAt: number;
  triesLeft: number;
}

export class OneTimeCode {
  readonly ttlMs: number;
  private readonly clock: Clock;
  private readonly maxTries: number;
  private readonly random: (max: number) => number;
  private pending: Pending | undefined;

  constructor(options: OneTimeCodeOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.maxTries = options.maxTries ?? 5;
    this.random = options.random ?? ((max) => randomInt(max));
  }

  /** A new code, shown as `ABCD-EFGH`; any earlier one stops working. */
  issue(): string {
    let code = '';
    for (let i = 0; i < LENGTH; i++) code += ALPHABET[this.random(ALPHABET.length)];
    this.pending = { digest: digest(code), expiresAt: this.clock.now() + this.ttlMs, triesLeft: this.maxTries };
    return `${code.slice(0, 4)}-${code.slice(4)}`;
  }

  /** Checks a guess (case, spaces and dashes do not matter); the right one is used up. */
  redeem(guess: string): Redeemed {
    const pending = this.pending;
    if (pending === undefined) return 'none';
    if (this.clock.now() > pending.expiresAt) {
      this.pending = undefined;
      return 'expired';
    }
    // Digests have one length, so timingSafeEqual compares them whatever was typed.
    if (timingSafeEqual(digest(normalize(guess)), pending.digest)) {
      this.pending = undefined;
      return 'ok';
    }
    pending.triesLeft -= 1;
    if (pending.triesLeft <= 0) {
      this.pending = undefined;
      return 'too-many-tries';
    }
    return 'wrong';
  }

  /** Wrong guesses the current code still allows (0 when there is none). */
  triesLeft(): number {
    return this.pending?.triesLeft ?? 0;
  }
}

function normalize(text: string): string {
  return text.toUpperCase().replace(/[\s-]/g, '');
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
