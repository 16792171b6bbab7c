import type { StreamDecoder, WireFrame } from './decoded-frame';

/**
 * A query search's proof that a message matches, without decoding it (issue 14: a query most
 * frames match, `$.seq >= 0`, `$.payload.type == 'tick'`, counted in full). The prefilters
 * (query-prefilter.ts) pass over messages that cannot match; a proof answers the other side: this
 * message matches. The query's in-order walk (in-order-match-walk.ts) marks a proven message
 * matched and does not decode it.
 *
 * The contract of a MatchProof: `true` only when decoding the message with the walk's decoder as
 * it stands at that frame (a fresh one when the walk has made none) gives an outcome that is not
 * 'invalid' and whose value the query matches (shared/decoded-query.ts matchesDecodedQuery),
 * which is what decode-commands.ts tests when the search asks for nothing else (no decoded field,
 * no conversation), and leaves that decoder as it found it. In a protocol that keeps state
 * between messages (not in STATELESS_DECODERS: STOMP, Socket.IO, MQTT) the walk asks only while
 * its decoder is idle for the message's direction (prefilter-scan.ts proven); a proof that holds
 * whatever the decoder remembers (GraphQL's: query-match-proof.ts PROOFS_IN_ANY_STATE) is asked
 * at every frame. `false` is "not proven": the message is decoded as before. A proof may answer
 * `false` for anything it does not fully read (an extension type, an escape, a long message); it
 * must never answer `true` wrongly. Each proof's tests compare it with the decoder on generated and crafted messages.
 *
 * `opcode` is the store's opcode name ('text', 'binary', 'ping', …): the decoders read only data
 * frames, and some read text and binary frames differently. `decoder` is the walk's decoder
 * (undefined: it has made none yet, a fresh one would decode): a proof may read settings the stream
 * fixed earlier (MQTT's protocol version and topic aliases) but must not change it; `dir` is the
 * frame's direction (a decoder's state is kept per direction).
 */
export type MatchProof = (slab: Buffer, start: number, end: number, opcode: string, decoder?: StreamDecoder, dir?: WireFrame['dir']) => boolean;
