import { describe, expect, it } from 'vitest';
import { InterceptBreakpoints, type RelayHandle } from '../../../src-main/core/intercept/breakpoints';
import { DirectionGate } from '../../../src-main/core/intercept/direction-gate';
import { InterceptCommands } from '../../../src-main/core/intercept/intercept-commands';
import { payloadBytes } from '../../../src-main/core/intercept/typed-payload';
import { parseCommandArg } from '../../../src-main/shared/commands';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { BreakpointRule } from '../../../src-main/shared/intercept-control';

/** Which of these messages a rule set holds (one direction of one connection to `host`). */
function heldBy(rules: BreakpointRule[], messages: { text: string; kind?: 'text' | 'binary' }[], direction: 'in' | 'out' = 'out', host = 'api.example'): string[] {
  const breakpoints = new InterceptBreakpoints();
  const set = breakpoints.setRules(rules);
  if (!set.ok) throw new Error(set.problem);
  const gate: DirectionGate = new DirectionGate({ deliver: () => undefined, hold: breakpoints.holder('s1', host, direction, () => gate) });
  for (const m of messages) gate.offer({ kind: m.kind ?? 'text', payload: Buffer.from(m.text) });
  return breakpoints.list().map((h) => h.payload.toString());
}

describe('breakpoint rules', () => {
  const messages = [{ text: '{"type":"order","price":12}' }, { text: '{"type":"quote","price":3}' }, { text: 'plain ping' }, { text: 'bin', kind: 'binary' as const }];

  it('match by JSONPath (a filter at the root tests the message), text, regex, kind', () => {
    expect(heldBy([{ jsonPath: '$[?(@.price > 10)]' }], messages)).toEqual(['{"type":"order","price":12}']);
    expect(heldBy([{ jsonPath: '$.type' }], messages)).toEqual(['{"type":"order","price":12}', '{"type":"quote","price":3}']);
    expect(heldBy([{ text: 'ping' }], messages)).toEqual(['plain ping']);
    expect(heldBy([{ regex: '"type":"(quote|none)"' }], messages)).toEqual(['{"type":"quote","price":3}']);
    expect(heldBy([{ kind: 'binary' }], messages)).toEqual(['bin']);
    // Every field of one rule must match; any rule may hold.
    expect(heldBy([{ text: 'order', kind: 'binary' }], messages)).toEqual([]);
    expect(heldBy([{ text: 'order' }, { text: 'ping' }], messages)).toEqual(['{"type":"order","price":12}', 'plain ping']);
  });

  it('match by direction and host (case-insensitive); a disabled rule holds nothing', () => {
    expect(heldBy([{ direction: 'in' }], messages, 'out')).toEqual([]);
    expect(heldBy([{ direction: 'in', text: 'ping' }], messages, 'in')).toEqual(['plain ping']);
    expect(heldBy([{ host: 'API.example', text: 'ping' }], messages)).toEqual(['plain ping']);
    expect(heldBy([{ host: 'other.example' }], messages)).toEqual([]);
    expect(heldBy([{ text: 'ping', enabled: false }], messages)).toEqual([]);
  });

  it('mayHold (the fast path asks it per frame): any enabled rule for this direction and host, whatever its payload test', () => {
    const breakpoints = new InterceptBreakpoints();
    expect(breakpoints.mayHold('api.example', 'out')).toBe(false);
    breakpoints.setRules([{ direction: 'in', text: 'never matches anything' }]);
    expect(breakpoints.mayHold('api.example', 'in')).toBe(true);
    expect(breakpoints.mayHold('api.example', 'out')).toBe(false);
    breakpoints.setRules([{ host: 'API.example' }, { text: 'x', enabled: false }]);
    expect(breakpoints.mayHold('api.example', 'out')).toBe(true);
    expect(breakpoints.mayHold('other.example', 'out')).toBe(false);
    breakpoints.setRules([]);
    expect(breakpoints.mayHold('api.example', 'in')).toBe(false);
  });

  it('a rule that cannot be used is refused, naming the rule and the field', () => {
    const breakpoints = new InterceptBreakpoints();
    expect(breakpoints.setRules([{ text: 'a' }, { regex: '(unclosed' }])).toMatchObject({ ok: false, path: 'rules.1.regex', problem: expect.stringMatching(/^breakpoint 2: /) });
    expect(breakpoints.setRules([{ jsonPath: 'type' }])).toMatchObject({ ok: false, path: 'rules.0.jsonPath', problem: expect.stringContaining('starts with $') });
    expect(breakpoints.setRules([{ jsonPath: '$.items[0' }])).toMatchObject({ ok: false, path: 'rules.0.jsonPath', problem: expect.stringContaining('never closed') });
    // The rules in force are unchanged by a refused set.
    expect(breakpoints.rules()).toEqual([]);
  });
});

describe('typed payloads', () => {
  it('text and JSON as UTF-8, hex and base64 decoded', () => {
    expect(payloadBytes({ as: 'text', value: 'héllo' }, 'text')).toEqual({ ok: true, payload: Buffer.from('héllo') });
    expect(payloadBytes({ as: 'json', value: '{ "a": 1 }' }, 'text')).toEqual({ ok: true, payload: Buffer.from('{ "a": 1 }') });
    expect(payloadBytes({ as: 'hex', value: 'de ad\nBE EF' }, 'binary')).toEqual({ ok: true, payload: Buffer.from([0xde, 0xad, 0xbe, 0xef]) });
    expect(payloadBytes({ as: 'base64', value: 'AAEC' }, 'binary')).toEqual({ ok: true, payload: Buffer.from([0, 1, 2]) });
  });

  it('bad JSON, hex, base64 and non-UTF-8 text are refused in words', () => {
    expect(payloadBytes({ as: 'json', value: '{"a":' }, 'text')).toMatchObject({ ok: false, problem: expect.stringMatching(/^not JSON: /) });
    expect(payloadBytes({ as: 'hex', value: 'abz' }, 'binary')).toEqual({ ok: false, problem: 'not hex: "z" is not a hex digit (0-9, a-f)' });
    expect(payloadBytes({ as: 'hex', value: 'abc' }, 'binary')).toEqual({ ok: false, problem: 'not hex: 3 digits, an odd number (two per byte)' });
    expect(payloadBytes({ as: 'base64', value: 'A' }, 'binary')).toMatchObject({ ok: false, problem: expect.stringMatching(/^not base64/) });
    expect(payloadBytes({ as: 'hex', value: 'ff fe' }, 'text')).toMatchObject({ ok: false, problem: expect.stringContaining('must be UTF-8') });
  });

  it('the contract refuses a bad edit before the engine sees it, naming the field', () => {
    const parsed = parseCommandArg('intercept:forward', { id: 1, edit: { as: 'json', value: '{nope' } });
    expect(parsed).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT', path: 'edit.value' } });
    expect(parseCommandArg('intercept:close-side', { sessionId: 's', side: 'client', code: 1006 })).toMatchObject({ ok: false, error: { path: 'code' } });
    expect(parseCommandArg('intercept:set-breakpoints', { rules: [{ txt: 'typo' }] })).toMatchObject({ ok: false, error: { code: 'INVALID_ARGUMENT' } });
  });
});

describe('the intercept commands', () => {
  function setup(): { commands: InterceptCommands; breakpoints: InterceptBreakpoints; events: EngineEvent[]; delivered: string[]; gate: DirectionGate; injected: string[] } {
    const breakpoints = new InterceptBreakpoints(undefined, () => 1_000);
    const events: EngineEvent[] = [];
    const commands = new InterceptCommands(breakpoints, (event) => events.push(event));
    const delivered: string[] = [];
    const injected: string[] = [];
    const gate: DirectionGate = new DirectionGate({
      deliver: (m) => delivered.push(m.payload.toString()),
      hold: breakpoints.holder('s1', 'api.example', 'out', () => gate),
      changed: () => breakpoints.queueChanged('s1'),
    });
    const relay: RelayHandle = {
      inject: (_direction, _kind, payload) => {
        injected.push(payload.toString('hex'));
        return true;
      },
      closeSide: () => false,
      waiting: () => ({ in: 0, out: gate.waiting }),
    };
    breakpoints.attach('s1', relay);
    return { commands, breakpoints, events, delivered, gate, injected };
  }

  it('set rules, see what is held, edit (JSON checked), drop, forward all; one queue event per turn', async () => {
    const { commands, events, delivered, gate } = setup();
    const h = commands.handlers();
    expect(h['intercept:set-breakpoints']({ rules: [{ jsonPath: '$.hold' }] })).toEqual({ ok: true, value: { rules: [{ jsonPath: '$.hold' }] } });
    expect(h['intercept:set-breakpoints']({ rules: [{ regex: '(' }] })).toMatchObject({ ok: false, error: { path: 'rules.0.regex' } });
    gate.offer({ kind: 'text', payload: Buffer.from('{"hold":1}') });
    gate.offer({ kind: 'text', payload: Buffer.from('{"hold":2}') });
    gate.offer({ kind: 'text', payload: Buffer.from('behind') });
    await Promise.resolve();
    expect(events).toEqual([{ type: 'intercept-queue', sessionId: 's1', held: [expect.objectContaining({ id: 1, direction: 'out', preview: '{"hold":1}', at: 1_000 }), expect.objectContaining({ id: 2 })], waiting: { in: 0, out: 3 } }]);
    const held = h['intercept:held']({});
    expect(held.ok && held.value.frames.map((f) => f.text)).toEqual(['{"hold":1}', '{"hold":2}']);
    expect(h['intercept:forward']({ id: 1, edit: { as: 'json', value: '{"hold":"edited"' } })).toMatchObject({ ok: false, error: { path: 'edit.value' } });
    expect(h['intercept:forward']({ id: 1, edit: { as: 'json', value: '{"hold":"edited"}' } })).toEqual({ ok: true, value: { edited: true } });
    expect(h['intercept:drop']({ id: 2 })).toEqual({ ok: true, value: {} });
    expect(delivered).toEqual(['{"hold":"edited"}', 'behind']);
    expect(h['intercept:drop']({ id: 2 })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    await Promise.resolve();
    expect(events.at(-1)).toEqual({ type: 'intercept-queue', sessionId: 's1', held: [], waiting: { in: 0, out: 0 } });
    gate.offer({ kind: 'text', payload: Buffer.from('{"hold":3}') });
    expect(h['intercept:forward-all']({})).toEqual({ ok: true, value: { count: 1 } });
    expect(delivered.at(-1)).toBe('{"hold":3}');
  });

  it('inject reaches the relay with the typed bytes; an unknown connection is named', () => {
    const { commands, injected } = setup();
    const h = commands.handlers();
    expect(h['intercept:inject']({ sessionId: 's1', direction: 'in', kind: 'binary', payload: { as: 'hex', value: '0102' } })).toEqual({ ok: true, value: { queued: false } });
    expect(injected).toEqual(['0102']);
    expect(h['intercept:inject']({ sessionId: 'nope', direction: 'in', kind: 'text', payload: { as: 'text', value: 'x' } })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_SESSION' } });
    expect(h['intercept:close-side']({ sessionId: 's1', side: 'client', code: 4000, reason: '' })).toMatchObject({ ok: false, error: { code: 'SESSION_NOT_OPEN' } });
  });
});
