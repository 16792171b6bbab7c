/**
 * Which filters of an MQTT SUBSCRIBE its SUBACK refused, in words. A SUBACK has one code per
 * filter, in the SUBSCRIBE's order: MQTT 3.1.1 §3.9.3 grants QoS 0–2 or says 0x80 Failure; MQTT 5
 * §3.9.3 grants 0x00–0x02, and a code of 0x80 or more refuses the filter.
 */

/** MQTT 5 §3.9.3: the SUBACK reason codes that refuse (0x80 is 3.1.1's Failure too). */
const REFUSALS: ReadonlyMap<number, string> = new Map([
  [0x80, 'failure'],
  [0x83, 'implementation specific error'],
  [0x87, 'not authorized'],
  [0x8f, 'topic filter invalid'],
  [0x91, 'packet identifier in use'],
  [0x97, 'quota exceeded'],
  [0x9e, 'shared subscriptions not supported'],
  [0xa1, 'subscription identifiers not supported'],
  [0xa2, 'wildcard subscriptions not supported'],
]);

const hex = (code: number): string => `0x${code.toString(16).padStart(2, '0')}`;

/**
 * `all`: every filter was refused (a SUBACK with fewer codes than filters grants none of the
 * missing ones, so it is not all). `words`: each refused filter and its code, "secret/# 0x87 not
 * authorized"; '' when none was refused.
 */
export function subackRefusals(topics: readonly string[], codes: readonly number[]): { all: boolean; words: string } {
  const refused = topics.flatMap((topic, index) => {
    const code = codes[index];
    return code !== undefined && code >= 0x80 ? [`${topic} ${hex(code)}${REFUSALS.has(code) ? ` ${REFUSALS.get(code) ?? ''}` : ''}`] : [];
  });
  return { all: topics.length > 0 && refused.length === topics.length, words: refused.join(', ') };
}
