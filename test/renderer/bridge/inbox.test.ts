/** The bridge's inbox: messages taken in order, in slices of bounded time, a bad one not stalling the rest. */
import { describe, expect, it, vi } from 'vitest';
import { Inbox } from '../../../src-renderer/src/bridge/inbox';

function manualInbox(costMs: number, budgetMs = 6) {
  const tasks: (() => void)[] = [];
  const taken: unknown[] = [];
  let now = 0;
  const inbox = new Inbox(
    (item) => {
      if (item === 'bad') throw new Error('bad message');
      taken.push(item);
      now += costMs;
    },
    { budgetMs, yieldTask: (run) => tasks.push(run), now: () => now },
  );
  return { inbox, tasks, taken };
}

describe('Inbox', () => {
  it('only queues on push, and asks for one task however many arrive', () => {
    const { inbox, tasks, taken } = manualInbox(1);
    inbox.push('a');
    inbox.push('b');
    expect(taken).toEqual([]);
    expect(tasks).toHaveLength(1);
    expect(inbox.waiting).toBe(2);
  });

  it('stops a slice once it has used its budget and goes on in the next task, in order', () => {
    const { inbox, tasks, taken } = manualInbox(2);
    for (let i = 1; i <= 7; i++) inbox.push(i);
    tasks.shift()?.();
    // 2 + 2 + 2 ms: the third item reaches the 6 ms budget.
    expect(taken).toEqual([1, 2, 3]);
    expect(tasks).toHaveLength(1);
    inbox.push(8);
    // Already scheduled: no second task for the new item.
    expect(tasks).toHaveLength(1);
    tasks.shift()?.();
    tasks.shift()?.();
    expect(taken).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(tasks).toHaveLength(0);
    expect(inbox.waiting).toBe(0);
  });

  it('takes at least one item per slice, however long it takes', () => {
    const { inbox, tasks, taken } = manualInbox(100);
    inbox.push('slow');
    inbox.push('next');
    tasks.shift()?.();
    expect(taken).toEqual(['slow']);
    tasks.shift()?.();
    expect(taken).toEqual(['slow', 'next']);
  });

  it('drainAll takes everything waiting at once', () => {
    const { inbox, tasks, taken } = manualInbox(10);
    for (let i = 1; i <= 5; i++) inbox.push(i);
    inbox.drainAll();
    expect(taken).toEqual([1, 2, 3, 4, 5]);
    // The task asked for finds nothing left.
    tasks.shift()?.();
    expect(taken).toEqual([1, 2, 3, 4, 5]);
  });

  it('reports a message that fails and goes on with the next', () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const { inbox, tasks, taken } = manualInbox(0);
      inbox.push('a');
      inbox.push('bad');
      inbox.push('c');
      tasks.shift()?.();
      expect(taken).toEqual(['a', 'c']);
      expect(String(errors.mock.calls[0]?.[0])).toContain('taking in a message failed');
    } finally {
      errors.mockRestore();
    }
  });
});
