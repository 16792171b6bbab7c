import { describe, expect, it } from 'vitest';
import { DirectionGate, type GateMessage } from '../../../src-main/core/intercept/direction-gate';

function text(value: string): GateMessage {
  return { kind: 'text', payload: Buffer.from(value) };
}

function gate(): { gate: DirectionGate; delivered: string[] } {
  const delivered: string[] = [];
  let next = 1;
  const g = new DirectionGate(
    (m) => delivered.push(m.payload.toString()),
    (m) => (m.payload.toString().startsWith('hold') ? next++ : undefined),
  );
  return { gate: g, delivered };
}

describe('a direction with breakpoints', () => {
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
});
