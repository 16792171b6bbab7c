/**
 * A hint in the words of the place that shows it. The app names a setting by its field, the
 * CLI by its flag; "the answer above" is said only where the answer is shown above the hint; a
 * suggestion for another URL scheme appears only on a URL of the scheme it fits.
 */
import type { NetError } from './errors';
import type { HintPart, HintSetting } from './hint-parts';
import { DEADLINE_TEXT, formatDeadline, longerTimeout, type DeadlineName } from './timeouts';

export interface HintContext {
  /** Where the hint is shown; undefined: no host (logs, exports), settings named in words. */
  host?: 'app' | 'cli';
  /** The connection's URL scheme; undefined: scheme-bound suggestions are left out. */
  scheme?: 'ws:' | 'wss:';
  /** Whether the other side's answer is shown above the hint. */
  answerShown?: boolean;
}

const SETTING_TEXT: Record<HintSetting, { field: string; flag: (value?: string) => string }> = {
  'tls.caFiles': { field: 'TLS → Extra CA files', flag: () => '--ca <file.pem>' },
  'tls.trust': { field: 'TLS → Trust', flag: (value) => `--trust ${value ?? 'mozilla+os'}` },
  'tls.clientCert': { field: 'TLS → Client certificate and Client key', flag: () => '--cert <file> --key <file>' },
  proxyCaFiles: { field: 'TLS → Proxy CA files', flag: () => '--proxy-ca <file.pem>' },
};

/** Where a deadline is changed: "Timeouts → Proxy answer in the connection options" or "--proxy-answer-timeout 30000". */
export function deadlinePointer(deadline: DeadlineName, ms: number, host: 'app' | 'cli'): string {
  const text = DEADLINE_TEXT[deadline];
  return host === 'cli' ? `${text.flag} ${longerTimeout(deadline, ms)}` : `Timeouts → ${text.field} in the connection options`;
}

function renderPart(part: HintPart, context: HintContext): string {
  switch (part.kind) {
    case 'text':
      return part.text;
    case 'setting': {
      const where = SETTING_TEXT[part.setting];
      if (context.host === 'app') return ` (${where.field} in the connection options)`;
      if (context.host === 'cli') return ` (${where.flag(part.value)})`;
      return '';
    }
    case 'answer':
      return context.answerShown === true ? 'the answer above' : `the ${part.who}'s answer`;
    case 'scheme':
      return context.scheme === part.scheme ? part.text : '';
    case 'deadline': {
      const now = formatDeadline(part.ms);
      if (context.host === 'app') return ` To wait longer, raise ${deadlinePointer(part.deadline, part.ms, 'app')} (now ${now}).`;
      if (context.host === 'cli') return ` To wait longer: ${deadlinePointer(part.deadline, part.ms, 'cli')} (now ${part.ms} ms).`;
      return ` To wait longer, raise the ${DEADLINE_TEXT[part.deadline].words} deadline (now ${now}).`;
    }
  }
}

/** Parts as one sentence or more, spaces tidied. */
export function renderHintParts(parts: readonly HintPart[], context: HintContext): string {
  return parts
    .map((part) => renderPart(part, context))
    .join('')
    .replace(/\s{2,}/g, ' ')
    .replace(/\s+([.,;)])/g, '$1')
    .trim();
}

/** The error's hint for this place; an error from before hint parts keeps its text. */
export function hintFor(error: NetError, context: HintContext): string {
  return error.hintParts ? renderHintParts(error.hintParts, context) : error.hint;
}

/** The scheme of a ws:// or wss:// URL, for HintContext (undefined for anything else). */
export function schemeOf(url: string | undefined): 'ws:' | 'wss:' | undefined {
  if (url === undefined) return undefined;
  const match = /^(wss?):/i.exec(url.trim());
  return match?.[1] === undefined ? undefined : match[1].toLowerCase() === 'wss' ? 'wss:' : 'ws:';
}

/**
 * The error as it reads on a connection to a `scheme` URL: scheme-bound words are kept as plain
 * words when they fit, dropped when they do not, and the plain hint is worded again. The engine
 * applies it once it knows the URL, so every host and every log gets the right suggestion.
 */
export function forScheme(error: NetError, scheme: 'ws:' | 'wss:'): NetError {
  if (!error.hintParts?.some((part) => part.kind === 'scheme')) return error;
  const hintParts = error.hintParts.flatMap((part): HintPart[] => {
    if (part.kind !== 'scheme') return [part];
    return part.scheme === scheme ? [{ kind: 'text', text: part.text }] : [];
  });
  return { ...error, hintParts, hint: renderHintParts(hintParts, {}) };
}
