/**
 * A session state as the UI shows it: always an icon AND a word AND a tone, never colour
 * alone. Words other than "open" avoid the substring "open" so a test (or a person) looking
 * for "open" is never fooled by a state that is still on its way there.
 */
import type { SessionState } from '../../../src-main/shared/model';

export type Tone = 'ok' | 'warn' | 'error' | 'info' | 'muted';

export interface StateLabel {
  icon: string;
  word: string;
  tone: Tone;
  /** Still working towards open or closed (drawn with a spinner). */
  busy: boolean;
}

const LABELS: Record<SessionState, StateLabel> = {
  idle: { icon: '○', word: 'idle', tone: 'muted', busy: false },
  'resolving-proxy': { icon: '◌', word: 'choosing proxy…', tone: 'info', busy: true },
  connecting: { icon: '◌', word: 'connecting…', tone: 'info', busy: true },
  'proxy-tls': { icon: '◌', word: 'TLS to proxy…', tone: 'info', busy: true },
  tunneling: { icon: '◌', word: 'tunnelling…', tone: 'info', busy: true },
  tls: { icon: '◌', word: 'TLS handshake…', tone: 'info', busy: true },
  upgrading: { icon: '◌', word: 'upgrading…', tone: 'info', busy: true },
  open: { icon: '●', word: 'open', tone: 'ok', busy: false },
  closing: { icon: '◐', word: 'closing…', tone: 'warn', busy: true },
  closed: { icon: '■', word: 'closed', tone: 'muted', busy: false },
  failed: { icon: '✖', word: 'failed', tone: 'error', busy: false },
};

export function stateLabel(state: SessionState): StateLabel {
  return LABELS[state];
}

/** States in which the user can stop the connection (Disconnect). */
export function isActiveState(state: SessionState): boolean {
  return state !== 'idle' && state !== 'closed' && state !== 'failed';
}
