/**
 * `connect --no-engineio-heartbeat`: Engine.IO's pings are answered unless it is given (the
 * option stays unset, which the engine reads as on); it describes the connection, so a profile's
 * connect refuses it; the help says what it turns off. A close's diagnosis (pings left
 * unanswered) is printed under the Closed line and is a field of the JSON closed line.
 */
import { describe, expect, it } from 'vitest';
import { CONNECT_HELP } from '../../../src-main/cli/help-text';
import { HumanPrinter, PLAIN } from '../../../src-main/cli/human-output';
import { closedLine } from '../../../src-main/cli/json-output';
import { Scrubber } from '../../../src-main/cli/scrub';
import type { EngineEventOf } from '../../../src-main/shared/events';
import { connect, usageError } from './connect-args';

describe('--no-engineio-heartbeat', () => {
  it('leaves the option unset (on) unless given', () => {
    expect(connect('ws://127.0.0.1:1/socket.io/?EIO=4&transport=websocket').options?.engineioHeartbeat).toBeUndefined();
  });

  it('turns the answers off, wherever it stands', () => {
    expect(connect('ws://127.0.0.1:1/', '--no-engineio-heartbeat').options?.engineioHeartbeat).toBe(false);
    expect(connect('--no-engineio-heartbeat', 'ws://127.0.0.1:1/').options).toMatchObject({ url: 'ws://127.0.0.1:1/', engineioHeartbeat: false });
  });

  it('takes no value', () => {
    expect(usageError('ws://127.0.0.1:1/', '--no-engineio-heartbeat=yes')).not.toBe('accepted');
  });

  it('cannot be combined with --profile (the profile sets the connection)', () => {
    expect(usageError('--profile', 'prod', '--no-engineio-heartbeat')).toMatch(/^--no-engineio-heartbeat cannot be combined with --profile/);
  });

  it('is in the help', () => {
    expect(CONNECT_HELP).toContain('--no-engineio-heartbeat');
  });
});

describe('a close with a diagnosis', () => {
  const diagnosis = "The server's last Engine.IO ping (2) got no pong (3) (answering Engine.IO pings is off for this session): an Engine.IO server closes the connection when no pong comes within its pingTimeout (50 ms).";
  const closed: EngineEventOf<'closed'> = { type: 'closed', sessionId: 's', code: 1005, reason: '', wasClean: true, initiatedBy: 'server', at: 2000, diagnosis };

  it('human: the diagnosis under the Closed line', () => {
    const out: string[] = [];
    const printer = new HumanPrinter({ out: (l) => out.push(l), err: () => undefined }, PLAIN, new Scrubber([]));
    printer.state({ type: 'state', sessionId: 's', state: 'open', previous: 'upgrading', at: 1000 });
    printer.closed(closed);
    const at = out.findIndex((line) => line.startsWith('Closed'));
    expect(out[at]).toContain('the server closed with 1005');
    expect(out[at + 1]?.trim()).toBe(diagnosis);
  });

  it('json: a diagnosis field, absent when there is none', () => {
    expect(closedLine(closed)).toMatchObject({ type: 'closed', code: 1005, diagnosis });
    const { diagnosis: _none, ...plain } = closed;
    expect(closedLine(plain)).not.toHaveProperty('diagnosis');
  });
});
