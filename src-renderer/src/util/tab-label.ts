/**
 * Names of tabs and sessions: the short URL label, and the one title a tab and the sessions
 * list both show.
 */
import type { ProxyDecision, SessionState } from '../../../src-main/shared/model';
import { stateLabel, type StateLabel } from './state-label';
import { clientText } from './captured-client';

/** A short name for a tab: the URL's host and path, without the scheme; "New tab" when empty. */
export function tabLabel(url: string): string {
  const trimmed = url.trim();
  if (trimmed === '') return 'New tab';
  // {{variables}}: as typed (a URL parser would %-encode the braces of the path).
  if (trimmed.includes('{{')) return trimmed.replace(/^wss?:\/\//i, '').replace(/[?#].*$/s, '');
  try {
    const parsed = new URL(trimmed);
    const path = parsed.pathname === '/' ? '' : parsed.pathname;
    return `${parsed.host}${path}` || trimmed;
  } catch {
    return trimmed;
  }
}

/** An imported log's state: read-only, named after its file. */
export const IMPORTED_STATE: StateLabel = { icon: '▤', word: 'imported', tone: 'info', busy: false };
const RECONNECTING_STATE: StateLabel = { icon: '↻', word: 'reconnecting…', tone: 'warn', busy: false };

export interface TitleInput {
  /** The tab's draft URL ('' for a session no tab shows). */
  draftUrl: string;
  /** The profile the tab was opened from. */
  profileName: string | null;
  session: {
    url: string;
    state: SessionState;
    readOnly: boolean;
    name: string | null;
    decision: ProxyDecision | null;
    /** A WebSocket the intercepting proxy captured: its client. */
    captured?: { clientAddress: string; clientProcess?: { pid: number; name: string } | undefined } | null;
  } | null;
  /** The draft's proxy decision before connecting (null while the URL field is empty). */
  previewDecision: ProxyDecision | null;
  /** Waiting to reconnect after a drop. */
  reconnecting: boolean;
  /** A captured session's number among those captured to its URL (capture-numbers.ts): 2 and up are named "… #2". */
  captureNumber?: number;
}

export interface Title {
  name: string;
  /** "via proxy.corp" when the connection goes (or would go) through a proxy. */
  via: string | null;
  /** name and via together, for titles and accessible names. */
  label: string;
  state: StateLabel;
  /** A captured WebSocket: "captured from node (pid 42) at 127.0.0.1:5123"; else null. */
  captured: string | null;
}

/**
 * What a tab, and the sessions list beside it, call a session and which state they show: one
 * function for both, so they never disagree.
 */
export function sessionTitle(input: TitleInput): Title {
  const { session } = input;
  if (session?.readOnly) {
    const name = session.name ?? tabLabel(session.url);
    return { name, via: null, label: name, state: IMPORTED_STATE, captured: null };
  }
  const base = input.profileName ?? tabLabel(session?.url || input.draftUrl);
  const name = session?.captured && (input.captureNumber ?? 1) > 1 ? `${base} #${input.captureNumber ?? 1}` : base;
  const via = viaText(session?.decision ?? input.previewDecision);
  const state = input.reconnecting ? RECONNECTING_STATE : stateLabel(session?.state ?? 'idle');
  const captured = session?.captured ? `captured from ${clientText(session.captured)}` : null;
  return { name, via, label: via ? `${name} ${via}` : name, state, captured };
}

/** "via proxy.corp" for a decision whose first choice is a proxy, null when it goes direct. */
function viaText(decision: ProxyDecision | null): string | null {
  const first = decision?.candidates[0];
  if (!first || first.protocol === 'direct') return null;
  return `via ${first.host}`;
}
