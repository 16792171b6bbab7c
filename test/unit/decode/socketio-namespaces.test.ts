/**
 * socketio-namespaces.ts: which namespaces the server connected, followed in order, kept in
 * snapshots, and never lost by a search passing a message over (every Socket.IO prefilter decodes
 * the open, CONNECT, DISCONNECT and CONNECT_ERROR). What the server does in each state:
 * test/net/real-servers/socketio-raw-frames.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { WireFrame } from '../../../src-main/core/decode/decoded-frame';
import { socketIoEventSelfContained, socketIoPayloadPrefilter } from '../../../src-main/core/decode/raw-prefilter';
import { SocketIoDecoder } from '../../../src-main/core/decode/socketio-decoder';
import { socketIoSetsNamespaces } from '../../../src-main/core/decode/socketio-namespaces';
import { socketIoProbePrefilter } from '../../../src-main/core/decode/socketio-probe';
import { socketIoKeyPrefilter } from '../../../src-main/core/decode/stateful-prefilter';
import { parseDecodedQuery } from '../../../src-main/shared/decoded-query';
import { textFrame } from './wire';

const OPEN = '0{"sid":"s","upgrades":[],"pingInterval":25000,"pingTimeout":20000}';
const NOT_CONNECTED = " — /admin not connected: the server closes the connection (a client's first packet on a namespace must be CONNECT)";

/** The summaries of these messages read in order by one decoder. */
function summaries(decoder: SocketIoDecoder, messages: readonly (readonly [WireFrame['dir'], string])[]): (string | undefined)[] {
  return messages.map(([dir, text]) => decoder.decode(textFrame(text, dir))?.summary);
}

describe('Socket.IO namespaces', () => {
  it('follows connects, refusals and disconnects of both sides; says nothing before the open', () => {
    const decoder = new SocketIoDecoder();
    expect(summaries(decoder, [['out', '42/admin,["chat"]']])).toEqual(["emit 'chat' on /admin"]);
    expect(
      summaries(decoder, [
        ['in', OPEN],
        ['out', '42/admin,["chat"]'],
        ['out', '40/admin,'],
        ['in', '44/admin,{"message":"no"}'],
        ['out', '43/admin,1[]'],
        ['out', '40/admin,'],
        ['in', '40/admin,{"sid":"a"}'],
        ['out', '42/admin,["chat"]'],
        ['in', '41/admin,'],
        ['out', '41/admin,'],
      ]),
    ).toEqual([
      'open sid=s ping every 25000 ms',
      `emit 'chat' on /admin${NOT_CONNECTED}`,
      'connect /admin',
      "connect error on /admin: 'no'",
      `ack 1 on /admin (0 args)${NOT_CONNECTED}`,
      'connect /admin',
      'connected /admin sid=a',
      "emit 'chat' on /admin",
      'disconnect /admin',
      `disconnect /admin${NOT_CONNECTED}`,
    ]);
  });

  it('a snapshot keeps them: a restored decoder reads the rest as the one it was taken from', () => {
    const head: [WireFrame['dir'], string][] = [['in', OPEN], ['out', '40'], ['in', '40{"sid":"r"}'], ['out', '40/admin,']];
    const rest: [WireFrame['dir'], string][] = [['out', '42["chat"]'], ['out', '42/admin,["chat"]'], ['out', '42/x,["chat"]'], ['out', '40']];
    const decoder = new SocketIoDecoder();
    summaries(decoder, head);
    const snapshot = decoder.snapshot();
    if (!snapshot) throw new Error('no snapshot');
    const restored = new SocketIoDecoder();
    restored.restore(snapshot);
    const expected = summaries(decoder, rest);
    expect(summaries(restored, rest)).toEqual(expected);
    expect(expected[1]).toContain('before the server');
    expect(expected[2]).toContain('/x not connected');
    expect(expected[3]).toContain('already connected');
  });

  it('every Socket.IO prefilter decodes a message that may change them', () => {
    const decoder = new SocketIoDecoder();
    const keyRule = socketIoKeyPrefilter('token');
    const payloadRule = socketIoPayloadPrefilter('zzz');
    const parsed = parseDecodedQuery("$.event == 'zzz'");
    const probe = parsed.ok ? socketIoProbePrefilter(parsed.query) : undefined;
    if (!keyRule || !payloadRule || !probe) throw new Error('no rule');
    for (const text of [OPEN, '40', '40/admin,{"a":1}', '41/admin,', '44{"message":"x"}']) {
      const bytes = Buffer.from(text, 'utf8');
      expect(socketIoSetsNamespaces(bytes, 0, bytes.length), text).toBe(true);
      expect(socketIoEventSelfContained(bytes, 0, bytes.length, 'text'), text).toBe(false);
      expect(payloadRule.selfContained(bytes, 0, bytes.length, 'text'), text).toBe(false);
      expect(keyRule.passable(decoder, bytes, 0, bytes.length, 'text', 'in'), text).toBe(false);
      expect(probe.passable(decoder, bytes, 0, bytes.length, 'text', 'in'), text).toBe(false);
    }
    for (const text of ['42["x"]', '43/admin,1[]', '2', '3probe', '1']) {
      const bytes = Buffer.from(text, 'utf8');
      expect(socketIoSetsNamespaces(bytes, 0, bytes.length), text).toBe(false);
      expect(keyRule.passable(decoder, bytes, 0, bytes.length, 'text', 'in'), text).toBe(true);
    }
  });
});
