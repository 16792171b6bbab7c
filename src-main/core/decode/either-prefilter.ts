/**
 * Two stateful prefilters (stateful-prefilter.ts) as one: a message either passes over is passed
 * over. The scan decodes a message holding one of a prefilter's needles without asking it, so the
 * joined one has no needles and asks each rule's own (through `holds`, the scan's hits) before
 * that rule's test: signalr-keys.ts (the key rule and the JSON proof's rule-out), query-keys.ts
 * (MQTT's key rule and its reading's rule-out).
 */
import { holdsBytes, type StatefulPrefilter } from './stateful-prefilter';

export function eitherPrefilter(first: StatefulPrefilter, second: StatefulPrefilter): StatefulPrefilter {
  const passes = (rule: StatefulPrefilter, ...[decoder, slab, start, end, opcode, dir, holds]: Parameters<StatefulPrefilter['passable']>): boolean => {
    const inside = holds ?? ((bytes: Buffer, from: number, to: number) => holdsBytes(slab, from, to, bytes));
    return !rule.needles.some((needle) => inside(needle, start, end)) && rule.passable(decoder, slab, start, end, opcode, dir, holds);
  };
  return {
    kind: 'stateful',
    key: `${first.key}\u0000${second.key}`,
    needles: [],
    passable: (...asked) => passes(first, ...asked) || passes(second, ...asked),
  };
}
