/**
 * A hint as host-neutral parts: plain words, plus the pieces whose wording depends on where the
 * hint is shown (shared/hint-text.ts renders them): a setting (the app names its field, the
 * CLI its flag), the other side's answer ("the answer above" only where it is shown above), a
 * suggestion that fits only one URL scheme, and the deadline that fired.
 */
import { z } from 'zod';
import { DEADLINE_NAMES } from './timeouts';

/** Settings a hint may point at (deadlines come with their `deadline` part instead). */
export const HINT_SETTINGS = ['tls.caFiles', 'tls.trust', 'tls.clientCert', 'proxyCaFiles'] as const;
export type HintSetting = (typeof HINT_SETTINGS)[number];

export const hintPartSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text'), text: z.string() }),
  /** "Add it as a CA file" + where that is: the field in the app, the flag on the command line. */
  z.object({ kind: z.literal('setting'), setting: z.enum(HINT_SETTINGS), value: z.string().optional() }),
  /** The proxy's or the server's answer: "the answer above" where it is shown above the hint. */
  z.object({ kind: z.literal('answer'), who: z.enum(['proxy', 'server']) }),
  /** Words that make sense only on a URL of this scheme ("try ws://" on a wss:// URL). */
  z.object({ kind: z.literal('scheme'), scheme: z.enum(['ws:', 'wss:']), text: z.string() }),
  /** The deadline that fired: how to give that leg more time. */
  z.object({ kind: z.literal('deadline'), deadline: z.enum(DEADLINE_NAMES), ms: z.number() }),
]);
export type HintPart = z.infer<typeof hintPartSchema>;

/** A hint as a catalog entry or a failure gives it: plain text, or parts. */
export type Hint = string | readonly HintPart[];

export function text(words: string): HintPart {
  return { kind: 'text', text: words };
}

export function setting(name: HintSetting, value?: string): HintPart {
  return value === undefined ? { kind: 'setting', setting: name } : { kind: 'setting', setting: name, value };
}

export function answer(who: 'proxy' | 'server'): HintPart {
  return { kind: 'answer', who };
}

export function onScheme(scheme: 'ws:' | 'wss:', words: string): HintPart {
  return { kind: 'scheme', scheme, text: words };
}
