/**
 * The intercept command's stdin protocol (cli/breakpoint-commands.ts) over a real engine's
 * intercept commands: held messages forwarded (as text, JSON or hex), dropped, released all,
 * listed; injections and closes reach the connection's relay; every mistake is answered in words.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runBreakpointCommand } from '../../../src-main/cli/breakpoint-commands';
import { Engine } from '../../../src-main/core/engine';
import { DirectionGate } from '../../../src-main/core/intercept/direction-gate';
import type { RelayHandle } from '../../../src-main/core/intercept/breakpoints';

const SESSION = '3f2a9c1e-0000-4000-8000-000000000001';
let engine: Engine | undefined;

afterEach(async () => {
  await engine?.dispose();
  engine = undefined;
});

function held(): { engine: Engine; delivered: string[]; injected: string[]; closed: string[] } {
  const e = new Engine({ host: 'cli', version: 'test', env: {} });
  engine = e;
  const breakpoints = e.interceptBreakpoints;
  breakpoints.setRules([{ text: 'hold' }]);
  const delivered: string[] = [];
  const injected: string[] = [];
  const closed: string[] = [];
  const gate: DirectionGate = new DirectionGate({ deliver: (m) => delivered.push(m.payload.toString('hex')), hold: breakpoints.holder(SESSION, 'echo.example', 'out', () => gate) });
  const relay: RelayHandle = {
    inject: (direction, kind, payload) => {
      injected.push(`${direction} ${kind} ${payload.toString('hex')}`);
      return true;
    },
    closeSide: (side, code, reason) => {
      closed.push(`${side} ${code} ${reason}`);
      return true;
    },
    waiting: () => ({ in: 0, out: gate.waiting }),
  };
  breakpoints.attach(SESSION, relay);
  gate.offer({ kind: 'text', payload: Buffer.from('hold one') });
  gate.offer({ kind: 'text', payload: Buffer.from('hold two') });
  gate.offer({ kind: 'text', payload: Buffer.from('hold three') });
  gate.offer({ kind: 'text', payload: Buffer.from('free') });
  return { engine: e, delivered, injected, closed };
}

const hex = (text: string): string => Buffer.from(text).toString('hex');

describe('breakpoint commands on stdin', () => {
  it('forward with a text or JSON edits, forward-hex sends bytes, drop drops, forward-all lets the rest go in order', async () => {
    const { engine: e, delivered } = held();
    expect((await runBreakpointCommand('held', e))?.text).toBe('#1 3f2a9c1e to the server text 8 B: hold one\n#2 3f2a9c1e to the server text 8 B: hold two\n#3 3f2a9c1e to the server text 10 B: hold three');
    expect(await runBreakpointCommand('forward 1 edited one', e)).toMatchObject({ ok: true, text: '#1 forwarded (edited)', json: { type: 'released', id: 1, action: 'edited' } });
    expect(delivered).toEqual([hex('edited one')]);
    expect(await runBreakpointCommand('forward-json 2 {"a":', e)).toMatchObject({ ok: false, text: expect.stringContaining('not JSON') });
    expect(await runBreakpointCommand('forward-json 2 {"a":1}', e)).toMatchObject({ ok: true, text: '#2 forwarded (edited)' });
    expect(await runBreakpointCommand('d 3', e)).toMatchObject({ ok: true, text: '#3 dropped' });
    expect(delivered).toEqual([hex('edited one'), hex('{"a":1}'), hex('free')]);
    expect((await runBreakpointCommand('forward-all', e))?.text).toBe('0 held messages forwarded');
  });

  it('inject and close reach the connection by the start of its id', async () => {
    const { engine: e, injected, closed } = held();
    expect(await runBreakpointCommand('inject 3f2a9c1e in hello client', e)).toMatchObject({ ok: true, json: { type: 'injected', session: SESSION, direction: 'in' } });
    expect(await runBreakpointCommand('inject-hex 3f2a out ca fe', e)).toMatchObject({ ok: true });
    expect(await runBreakpointCommand('inject-json 3f2a out {"x":', e)).toMatchObject({ ok: false, text: expect.stringContaining('not JSON') });
    expect(injected).toEqual([`in text ${hex('hello client')}`, 'out binary cafe']);
    expect(await runBreakpointCommand('close 3f2a9c1e server 4002 maintenance window', e)).toMatchObject({ ok: true, text: 'closing the server side of 3f2a9c1e with 4002' });
    expect(closed).toEqual(['server 4002 maintenance window']);
    expect(await runBreakpointCommand('close 3f2a9c1e server 1006', e)).toMatchObject({ ok: false, text: expect.stringContaining('close code must be') });
  });

  it('an unknown number, session or command says so; an empty line is nothing', async () => {
    const { engine: e } = held();
    expect(await runBreakpointCommand('forward 9', e)).toMatchObject({ ok: false, text: expect.stringMatching(/^no message #9 is held/) });
    expect(await runBreakpointCommand('inject beef in hi', e)).toMatchObject({ ok: false, text: 'no intercepted connection "beef" is relaying (relaying: 3f2a9c1e)' });
    expect(await runBreakpointCommand('inject 3f2a9c1e sideways hi', e)).toMatchObject({ ok: false, text: expect.stringMatching(/^inject needs the session, the direction and the payload/) });
    expect(await runBreakpointCommand('forward-hex 1', e)).toMatchObject({ ok: false, text: expect.stringMatching(/^forward-hex needs the number and the new payload/) });
    expect(await runBreakpointCommand('launch', e)).toMatchObject({ ok: false, text: expect.stringMatching(/^unknown command "launch": forward <n>/), json: { error: expect.any(String) } });
    expect(await runBreakpointCommand('   ', e)).toBeUndefined();
  });
});
