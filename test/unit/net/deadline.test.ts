// Deadline and raceDeadline on fake time: what ends the race, never how long it took.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Deadline, MAX_TIMER_MS, onDeadline, raceDeadline } from '../../../src-main/core/net/deadline';
import { ManualClock } from '../../support/manual-clock';

class Expired extends Error {}

/** Lets the promise jobs that a timer or a settlement queued run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await Promise.resolve();
}

/** 'pending', or how the promise ended, without waiting for it. */
function watch<T>(promise: Promise<T>): () => 'pending' | { value: T } | { error: unknown } {
  let state: 'pending' | { value: T } | { error: unknown } = 'pending';
  promise.then(
    (value) => (state = { value }),
    (error: unknown) => (state = { error }),
  );
  return () => state;
}

describe('Deadline on an injected clock', () => {
  it('measures from the clock, and never goes below zero', () => {
    const clock = new ManualClock();
    const deadline = new Deadline(1_000, undefined, clock);
    expect(deadline.at).toBe(clock.now() + 1_000);
    clock.advance(400);
    expect(deadline.remaining()).toBe(600);
    clock.advance(5_000);
    expect(deadline.remaining()).toBe(0);
  });

  it('starts from a given time (a deadline handed over from another thread)', () => {
    const clock = new ManualClock();
    const deadline = new Deadline(1_000, clock.now() - 300, clock);
    expect(deadline.remaining()).toBe(700);
  });

  it('earliest() picks the sooner of two', () => {
    const clock = new ManualClock();
    const phase = new Deadline(5_000, undefined, clock);
    const overall = new Deadline(2_000, undefined, clock);
    expect(Deadline.earliest(phase, overall)).toBe(overall);
    expect(Deadline.earliest(overall, phase)).toBe(overall);
    expect(Deadline.earliest(phase, undefined)).toBe(phase);
  });
});

describe('raceDeadline', () => {
  it('resolves with the work when it settles before the deadline, and leaves no timer behind', async () => {
    const clock = new ManualClock();
    const deadline = new Deadline(1_000, undefined, clock);
    let finishWork: (value: string) => void = () => undefined;
    const race = watch(raceDeadline(new Promise<string>((resolve) => (finishWork = resolve)), deadline, () => new Expired()));
    clock.advance(999);
    await settle();
    expect(race()).toBe('pending');
    finishWork('done');
    await settle();
    expect(race()).toEqual({ value: 'done' });
    expect(clock.pending).toBe(0);
  });

  it('rejects with onTimeout() exactly when the deadline passes, and runs cleanup', async () => {
    const clock = new ManualClock();
    const deadline = new Deadline(1_000, undefined, clock);
    const cleanup = vi.fn();
    const race = watch(raceDeadline(new Promise<never>(() => undefined), deadline, () => new Expired('too late'), undefined, cleanup));
    clock.advance(999);
    await settle();
    expect(race()).toBe('pending');
    expect(cleanup).not.toHaveBeenCalled();
    clock.advance(1);
    await settle();
    expect(race()).toEqual({ error: new Expired('too late') });
    expect(cleanup).toHaveBeenCalledTimes(1);
  });

  it('a result that comes after the timeout is ignored', async () => {
    const clock = new ManualClock();
    const deadline = new Deadline(100, undefined, clock);
    let finishWork: (value: string) => void = () => undefined;
    const race = watch(raceDeadline(new Promise<string>((resolve) => (finishWork = resolve)), deadline, () => new Expired()));
    clock.advance(100);
    finishWork('late');
    await settle();
    expect(race()).toEqual({ error: expect.any(Expired) });
  });

  it("rejects with the signal's reason on abort, runs cleanup, and clears its timer", async () => {
    const clock = new ManualClock();
    const controller = new AbortController();
    const cleanup = vi.fn();
    const race = watch(raceDeadline(new Promise<never>(() => undefined), new Deadline(1_000, undefined, clock), () => new Expired(), controller.signal, cleanup));
    controller.abort(new Error('cancelled by the user'));
    await settle();
    expect(race()).toEqual({ error: new Error('cancelled by the user') });
    expect(cleanup).toHaveBeenCalledTimes(1);
    expect(clock.pending).toBe(0);
  });

  it('an already aborted signal rejects at once', async () => {
    const clock = new ManualClock();
    const race = watch(raceDeadline(Promise.resolve('never used'), new Deadline(1_000, undefined, clock), () => new Expired(), AbortSignal.abort('not an Error')));
    await settle();
    expect(race()).toEqual({ error: new Error('aborted') });
  });

  it('a work that rejects with a non-Error rejects with an Error that says what it was', async () => {
    const clock = new ManualClock();
    const race = watch(raceDeadline(Promise.reject('plain text'), new Deadline(1_000, undefined, clock), () => new Expired()));
    await settle();
    expect(race()).toEqual({ error: new Error('plain text') });
  });
});

describe('a deadline further away than a timer can wait (2^31 - 1 ms, about 24.8 days)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('does not pass after 1 ms (Node fires such a timer at once)', async () => {
    // Vitest's fake timers behave like Node here: a longer delay becomes 1 ms.
    vi.useFakeTimers();
    const deadline = new Deadline(MAX_TIMER_MS + 10_000);
    const race = watch(raceDeadline(new Promise<never>(() => undefined), deadline, () => new Expired()));
    await vi.advanceTimersByTimeAsync(1_000);
    expect(race()).toBe('pending');
    await vi.advanceTimersByTimeAsync(MAX_TIMER_MS);
    expect(race()).toBe('pending');
    await vi.advanceTimersByTimeAsync(10_000);
    expect(race()).toEqual({ error: expect.any(Expired) });
  });

  it('onDeadline waits in steps and fires once, and cancel() stops it', async () => {
    vi.useFakeTimers();
    const fired = vi.fn();
    onDeadline(new Deadline(2 * MAX_TIMER_MS + 5), fired);
    const cancelled = vi.fn();
    onDeadline(new Deadline(2 * MAX_TIMER_MS + 5), cancelled).cancel();
    await vi.advanceTimersByTimeAsync(2 * MAX_TIMER_MS);
    expect(fired).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(5);
    expect(fired).toHaveBeenCalledTimes(1);
    expect(cancelled).not.toHaveBeenCalled();
  });
});
