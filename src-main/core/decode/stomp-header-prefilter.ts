/**
 * STOMP, a query's `== 'text'` on a header value or name reached through `[*]` or an index
 * (`$.headers[*] == '/topic/p7'`, `$.headerList[*][1] == 'x'`, `$.headerList[*][0] == 'id'`):
 * needles that hold the text where the frame's own header lines put it, so `/topic/p7` does not
 * bring in `/topic/p70`, as the plain string rule (raw-prefilter.ts stompStringPrefilter) does.
 *
 * Only a self-contained message is passed over (stompSelfContained: one frame, not CONNECTED, no
 * backslash or NUL in its command and headers), so no escape is read in it, in STOMP 1.0 or 1.2,
 * CONNECT or not, and what it holds is its own (a frame split across messages, several frames
 * in one message, heart-beats, anything after a CONNECTED are decoded in order as before). In
 * such a frame the parser (stomp-frame.ts) reads each header line as its bytes B up to the LF
 * (less a CR right before it), as UTF-8: a line that is not UTF-8 makes the frame invalid, and a
 * line holding U+FFFD is read strictly, which drops a byte order mark at its start. UTF-8 reads
 * ASCII bytes as themselves, so the first ':' of the text is B's first ':' byte and
 * - a value (what follows that ':', to the line's end) equal to the literal L is B ending with
 *   `:` and L's UTF-8, then the line's end: `:L` LF, or `:L` CR LF (B's last byte is a CR only
 *   when the line ends in CR LF, as a CR before the LF is not B's);
 * - a name (the text before that ':') equal to L is B starting with L's UTF-8 and then `:`, or
 *   with a byte order mark before it (dropped when the line holds U+FFFD), and every header
 *   line starts right after an LF (the command line's or the line before): LF `L:` or
 *   LF BOM `L:`.
 * `headers` holds the first line of each name, `headerList` every line (only when a name
 * repeats), so each value or name either selects is on one of the frame's header lines: a
 * self-contained frame without the needles has none equal to L. The needles may be elsewhere
 * (the body, a longer line): then the frame is decoded, as it is where L is not one UTF-8 reads
 * back (exactInUtf8: no rule).
 */
import type { QueryStep } from '../../shared/decoded-query';
import { exactInUtf8, stompSelfContained, type RawPrefilter } from './raw-prefilter';

const BOM = '\ufeff';

/** What the path selects on each header line: its value, its name, or either. */
type HeaderPart = 'value' | 'name' | 'both';

/**
 * `$.headers[*]`: a value. `$.headerList[*|i][1]`, `[0]`, `[*]`: a line's value, its name, or
 * either (headerList is a list of [name, value]). Undefined for any other path (a step after
 * these goes into JSON text a value holds; `$.headers.<name>` has the STOMP probe).
 */
function headerPart(path: readonly QueryStep[]): HeaderPart | undefined {
  const [first, second, third] = path;
  if (first?.kind !== 'key') return undefined;
  if (first.name === 'headers') return path.length === 2 && second?.kind === 'any' ? 'value' : undefined;
  if (first.name !== 'headerList' || path.length !== 3 || second?.kind === 'key' || third === undefined) return undefined;
  if (third.kind === 'any') return 'both';
  if (third.kind === 'index' && third.index <= 1) return third.index === 0 ? 'name' : 'value';
  return undefined;
}

/** The needles for `path == literal` on a header value or name (see the file comment), or undefined (no rule). */
export function stompHeaderNeedles(path: readonly QueryStep[], literal: string): Buffer[] | undefined {
  const part = headerPart(path);
  if (part === undefined || !exactInUtf8(literal)) return undefined;
  const needles: string[] = [];
  if (part !== 'name') needles.push(`:${literal}\n`, `:${literal}\r\n`);
  if (part !== 'value') needles.push(`\n${literal}:`, `\n${BOM}${literal}:`);
  return needles.map((needle) => Buffer.from(needle, 'utf8'));
}

/** The rule for `path == literal` on a header value or name, or undefined (see the file comment). */
export function stompHeaderPrefilter(path: readonly QueryStep[], literal: string): RawPrefilter | undefined {
  const needles = stompHeaderNeedles(path, literal);
  return needles ? { kind: 'self-contained', needles, selfContained: stompSelfContained } : undefined;
}
