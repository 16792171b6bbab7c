import { describe, expect, it } from 'vitest';
import { runBreakpointCommand } from '../../../src-main/cli/breakpoint-commands';
import { DirectionGate } from '../../../src-main/core/intercept/direction-gate';
import { InterceptBreakpoints } from '../../../src-main/core/intercept/breakpoints';

function held(): { breakpoints: InterceptBreakpoints; delivered: string[] } {
  const breakpoints = new InterceptBreakpoints();
  breakpoints.setRules([{ text: 'hold' }]);
  const delivered: string[] = [];
  const gate: DirectionGate = new DirectionGate({ deliver: (m) => delivered.push(m.payload.toString()), hold: breakpoints.holder('s1', 'echo.example', 'out', () => gate) });
  gate.offer({ kind: 'text', payload: Buffer.from('hold one') });
  gate.offer({ kind: 'text', payload: Buffer.from('hold two') });
  gate.offer({ kind: 'text', payload: Buffer.from('free') });
  return { breakpoints, delivered };
}

describe('breakpoint commands on stdin', () => {
  it('forward with a text edits, drop drops, forward-all lets the rest go in order', () => {
    const { breakpoints, delivered } = held();
    expect(runBreakpointCommand('held', breakpoints)?.text).toBe('#1 to the server text 8 B\n#2 to the server text 8 B');
    expect(runBreakpointCommand('forward 1 edited one', breakpoints)).toMatchObject({ ok: true, text: '#1 forwarded (edited)', json: { type: 'released', id: 1, action: 'edited' } });
    expect(delivered).toEqual(['edited one']);
    expect(runBreakpointCommand('d 2', breakpoints)).toMatchObject({ ok: true, text: '#2 dropped' });
    expect(delivered).toEqual(['edited one', 'free']);
    expect(runBreakpointCommand('forward-all', breakpoints)?.text).toBe('0 held messages forwarded');
  });

  it('an unknown number or command says so; an empty line is nothing', () => {
    const { breakpoints } = held();
    expect(runBreakpointCommand('forward 9', breakpoints)).toMatchObject({ ok: false, text: 'no message #9 is held' });
    expect(runBreakpointCommand('launch', breakpoints)).toMatchObject({ ok: false, text: expect.stringMatching(/^unknown command "launch"/) });
    expect(runBreakpointCommand('   ', breakpoints)).toBeUndefined();
  });
});
