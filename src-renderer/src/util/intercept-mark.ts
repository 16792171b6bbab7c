/**
 * How the log and the frame detail word a frame the intercepting proxy changed (its
 * FrameSummary.intercept mark): edited, dropped at a breakpoint, injected from Tunnelscope.
 */
import type { FrameMark } from '../../../src-main/shared/intercept-control';
import type { FrameSummary } from '../../../src-main/shared/model';
import { formatBytes } from './format';

export function interceptMarkTitle(mark: FrameMark, dir: FrameSummary['dir']): string {
  if (mark.action === 'resent') return 'Sent again by the reconnect: the protocol session opened in an earlier attempt (its opening or a subscription), as you sent it then';
  const side = dir === 'out' ? 'the server' : 'the client';
  if (mark.action === 'edited') {
    const original = mark.originalSize !== undefined ? ` (${formatBytes(mark.originalSize)})` : '';
    return `Edited at a breakpoint: this is what ${side} got; the original${original} is in the frame detail`;
  }
  if (mark.action === 'dropped' && mark.reason === 'connection-ended') return `Dropped: it was held at a breakpoint when the connection ended, and never reached ${side}`;
  if (mark.action === 'dropped') return `Dropped at a breakpoint: it never reached ${side}`;
  return `Injected from Tunnelscope: ${side} got it as if from the ${dir === 'out' ? 'client' : 'server'}`;
}
