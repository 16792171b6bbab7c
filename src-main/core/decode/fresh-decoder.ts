/**
 * A decoder made fresh by a walk. A walk that starts afresh where frames before it were not read
 * (`afreshFrom`: evicted, after a gap, a far frame's context) tells it so (`startsMidway`), so it
 * says nothing that needs the connection's start (MQTT's "before CONNECT": mqtt-connection.ts);
 * a walk at the session's or an attempt's first frame, or one that passed over frames a fresh
 * decoder reads alike (a search's prefilter), makes it whole.
 */
import type { StreamDecoder } from './decoded-frame';

export function freshDecoder(makeDecoder: () => StreamDecoder, afreshFrom: number | undefined): StreamDecoder {
  const decoder = makeDecoder();
  if (afreshFrom !== undefined) decoder.startsMidway?.();
  return decoder;
}
