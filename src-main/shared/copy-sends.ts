/**
 * Copy as command, the part about what is sent: the composer's message and its repeat as
 * `tunnelscope connect --send … --repeat N --interval T`. websocat and wscat have no repeat,
 * and say so in a note (they carry no message from the app).
 */
import type { CommandTool } from './copy-as-command';
import { REPEAT_MAX_COUNT } from './send-repeat';

export interface CopySending {
  /** text: the text; binary: base64. */
  message: { kind: 'text' | 'binary'; data: string };
  /** count null: until stopped. */
  repeat?: { count: number | null; intervalMs: number };
}

function base64ToHex(base64: string): string {
  const binary = globalThis.atob(base64);
  let hex = '';
  for (let i = 0; i < binary.length; i++) hex += binary.charCodeAt(i).toString(16).padStart(2, '0');
  return hex;
}

function repeatText(repeat: NonNullable<CopySending['repeat']>): string {
  const times = repeat.count === null ? 'until stopped' : `${repeat.count} times`;
  return repeat.intervalMs > 0 ? `${times}, every ${repeat.intervalMs} ms` : times;
}

/** The words (tunnelscope) or notes (the others) for what is sent; `quote` is the shell quoting. */
export function sendingWords(tool: CommandTool, sending: CopySending, words: string[], notes: string[], quote: (word: string) => string): void {
  const { message, repeat } = sending;
  if (tool !== 'tunnelscope') {
    if (repeat !== undefined) notes.push(`${tool} has no option to repeat a message (${repeatText(repeat)}): tunnelscope connect --repeat and --interval do`);
    return;
  }
  if (message.kind === 'text') words.push('--send', quote(message.data));
  else words.push('--send-binary', base64ToHex(message.data));
  if (repeat === undefined) return;
  if (repeat.count === null) {
    notes.push(`tunnelscope connect repeats a fixed number of times: "until stopped" is --repeat ${REPEAT_MAX_COUNT} (Ctrl-C stops it)`);
  }
  words.push('--repeat', String(repeat.count ?? REPEAT_MAX_COUNT));
  if (repeat.intervalMs > 0) words.push('--interval', String(repeat.intervalMs));
}
