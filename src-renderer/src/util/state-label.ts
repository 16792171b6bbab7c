/**
 * A session state as the UI shows it: always an icon AND a word AND a tone, never colour
 * alone. Words other than "open" avoid the substring "open" so a test (or a person) looking
 * for "open" is never fooled by a state that is still on its way there.
 */
import { SESSION_STATES, type SessionState } from '../../../src-main/shared/model';
import { PIPELINE, isBusyState, type PipelinePhase } from '../../../src-main/shared/pipeline-legs';

export { isActiveState } from '../../../src-main/shared/pipeline-legs';

export type Tone = 'ok' | 'warn' | 'error' | 'info' | 'muted';

export interface StateLabel {
  icon: string;
  word: string;
  tone: Tone;
  /** Still working towards open or closed (drawn with a spinner). */
  busy: boolean;
}

interface Look {
  icon: string;
  tone: Tone;
}

/** The word and whether it is busy are the pipeline table's; the icon and tone go by where the session stands. */
const LOOKS: Record<Exclude<PipelinePhase, 'ended'>, Look> = {
  idle: { icon: '○', tone: 'muted' },
  leg: { icon: '◌', tone: 'info' },
  open: { icon: '●', tone: 'ok' },
  closing: { icon: '◐', tone: 'warn' },
};
const FAILED: Look = { icon: '✖', tone: 'error' };
const CLOSED: Look = { icon: '■', tone: 'muted' };

function lookOf(state: SessionState): Look {
  const { phase } = PIPELINE[state];
  if (phase !== 'ended') return LOOKS[phase];
  return state === 'failed' ? FAILED : CLOSED;
}

function labelOf(state: SessionState): StateLabel {
  return { ...lookOf(state), word: PIPELINE[state].word, busy: isBusyState(state) };
}

/** Built once, so a state's label is the same object each time. */
const LABELS = new Map<SessionState, StateLabel>(SESSION_STATES.map((state) => [state, labelOf(state)]));

export function stateLabel(state: SessionState): StateLabel {
  return LABELS.get(state) ?? labelOf(state);
}
