import { describe, expect, it } from 'vitest';
import { interceptMarkTitle } from '../../../src-renderer/src/util/intercept-mark';

describe('the words for an intercepted frame’s mark', () => {
  it('names each action and side; a drop because the connection ended says so', () => {
    expect(interceptMarkTitle({ action: 'edited', originalSize: 2048 }, 'out')).toBe('Edited at a breakpoint: this is what the server got; the original (2.0 KiB) is in the frame detail');
    expect(interceptMarkTitle({ action: 'dropped' }, 'in')).toBe('Dropped at a breakpoint: it never reached the client');
    expect(interceptMarkTitle({ action: 'dropped', reason: 'connection-ended' }, 'out')).toBe('Dropped: it was held at a breakpoint when the connection ended, and never reached the server');
    expect(interceptMarkTitle({ action: 'injected' }, 'in')).toBe('Injected from Tunnelscope: the client got it as if from the server');
    expect(interceptMarkTitle({ action: 'resent' }, 'out')).toBe('Sent again by the reconnect: the protocol session opened in an earlier attempt (its opening or a subscription), as you sent it then');
  });
});
