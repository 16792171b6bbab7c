import { describe, expect, it } from 'vitest';
import { DirectionGate, type GateMessage } from '../../../src-main/core/intercept/direction-gate';

function text(value: string): GateMessage {
  return { kind: 'text', payload: Buffer.from(value) };
}

function gate(): { gate: DirectionGate; delivered: string[]; messages: GateMessage[]; dropped: string[]; changes: number[] } {
  const delivered: string[] = [];
  const messages: GateMessage[] = [];
  const dropped: string[] = [];
  const changes: number[] = [];
  let next = 1;
  const g: DirectionGate = new DirectionGate({
    deliver: (m) => {
      delivered.push(m.payload.toString());
      messages.push(m);
    },
    hold: (m) => (m.payload.toString().startsWith('hold') ? next++ : undefined),
    dropped: (m) => dropped.push(m.payload.toString()),
    changed: () => changes.push(g.waiting),
  });
  return { gate: g, delivered, messages, dropped, changes };
}

describe('a direction with breakpoints', () => {
  it('abandoned when its connection ends: hands back the held and the waiting, in order, and takes nothing more', () => {
    const { gate: g, delivered } = gate();
    g.offer(text('a'));
    g.offer(text('hold-1'));
    g.offer(text('b'));
    const left = g.abandon();
    expect(left.map((e) => [e.message.payload.toString(), e.heldId])).toEqual([
      ['hold-1', 1],
      ['b', undefined],
    ]);
    expect(g.waiting).toBe(0);
    g.offer(text('late'));
    g.inject(text('typed'));
    expect(delivered).toEqual(['a']);
    expect(g.waiting).toBe(0);
    expect(g.forward(1)).toBe(false);
  });

  it('delivers at once while nothing is held; a held message keeps the ones behind it waiting, in order', () => {
    const { gate: g, delivered } = gate();
    g.offer(text('a'));
    g.offer(text('hold-1'));
    g.offer(text('b'));
    g.offer(text('c'));
    expect(delivered).toEqual(['a']);
    expect(g.waiting).toBe(3);
    expect(g.heldIds()).toEqual([1]);
    expect(g.forward(1, Buffer.from('edited'))).toBe(true);
    expect(delivered).toEqual(['a', 'edited', 'b', 'c']);
    expect(g.waiting).toBe(0);
  });

  it('a dropped message never goes; the queue stops again at the next held one', () => {
    const { gate: g, delivered } = gate();
    g.offer(text('hold-1'));
    g.offer(text('x'));
    g.offer(text('hold-2'));
    g.offer(text('y'));
    expect(g.drop(1)).toBe(true);
    expect(delivered).toEqual(['x']);
    expect(g.heldIds()).toEqual([2]);
    expect(g.forward(2)).toBe(true);
    expect(delivered).toEqual(['x', 'hold-2', 'y']);
  });

  it('forward all lets everything go in order; unknown ids are refused', () => {
    const { gate: g, delivered } = gate();
    g.offer(text('hold-1'));
    g.offer(text('hold-2'));
    g.offer(text('z'));
    expect(g.forward(99)).toBe(false);
    expect(g.drop(99)).toBe(false);
    expect(g.forwardAll()).toEqual([1, 2]);
    expect(delivered).toEqual(['hold-1', 'hold-2', 'z']);
  });

  it('a held message later in the queue is released before the head: it still waits its turn', () => {
    const { gate: g, delivered } = gate();
    g.offer(text('hold-1'));
    g.offer(text('hold-2'));
    expect(g.forward(2)).toBe(true);
    expect(delivered).toEqual([]);
    expect(g.forward(1)).toBe(true);
    expect(delivered).toEqual(['hold-1', 'hold-2']);
  });

  it('an edit is marked with its original; a drop is handed to the dropped hook; the queue reports each change', () => {
    const { gate: g, messages, dropped, changes } = gate();
    g.offer(text('hold-1'));
    g.offer(text('hold-2'));
    g.offer(text('after'));
    expect(changes).toEqual([1, 2, 3]);
    expect(g.forward(1, Buffer.from('{"edited":true}'))).toBe(true);
    expect(messages[0]?.payload.toString()).toBe('{"edited":true}');
    expect(messages[0]?.mark?.mark).toEqual({ action: 'edited', originalSize: 6 });
    expect(messages[0]?.mark?.original?.toString()).toBe('hold-1');
    expect(g.drop(2)).toBe(true);
    expect(dropped).toEqual(['hold-2']);
    expect(messages.map((m) => m.payload.toString())).toEqual(['{"edited":true}', 'after']);
    expect(messages[1]?.mark).toBeUndefined();
    expect(changes.at(-1)).toBe(0);
  });

  it('an injected message is never held and waits behind what is queued', () => {
    const { gate: g, delivered } = gate();
    g.inject(text('hold-injected goes at once'));
    expect(delivered).toEqual(['hold-injected goes at once']);
    g.offer(text('hold-1'));
    g.inject(text('injected behind'));
    expect(delivered).toHaveLength(1);
    expect(g.heldIds()).toEqual([1]);
    expect(g.forward(1)).toBe(true);
    expect(delivered.slice(1)).toEqual(['hold-1', 'injected behind']);
  });
});
