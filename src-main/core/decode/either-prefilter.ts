/**
 * Two stateful prefilters (stateful-prefilter.ts) as one: a message either passes over is passed
 * over. The scan decodes a message holding one of a prefilter's needles without asking it, so the
 * joined one has no needles and asks each rule's own (through `holds`, the scan's hits) before
 * that rule's test: signalr-keys.ts (the key rule and the JSON proof's rule-out), query-keys.ts
 * (MQTT's key rule and its reading's rule-out).
 */
import type { HoldsBytes } from './raw-prefilter';
import { holdsBytes, type StatefulPrefilter } from './stateful-prefilter';

export function eitherPrefilter(first: StatefulPrefilter, second: StatefulPrefilter): StatefulPrefilter {
  return {
    kind: 'stateful',
    key: `${first.key}\u0000${second.key}`,
    needles: [],
    // Named parameters, not rest and spread: asked at every frame the walk reaches.
    passable(decoder, slab, start, end, opcode, dir, holds) {
      const inside: HoldsBytes = holds ?? ((bytes, from, to) => holdsBytes(slab, from, to, bytes));
      if (!first.needles.some((needle) => inside(needle, start, end)) && first.passable(decoder, slab, start, end, opcode, dir, holds)) return true;
      return !second.needles.some((needle) => inside(needle, start, end)) && second.passable(decoder, slab, start, end, opcode, dir, holds);
    },
  };
}
