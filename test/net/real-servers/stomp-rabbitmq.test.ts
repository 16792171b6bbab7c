/**
 * STOMP against a real broker: RabbitMQ with its Web-STOMP plugin (test/support/rabbitmq.ts,
 * started once for the file on 127.0.0.1 and stopped by pid). Two clients:
 *  1. `tunnelscope connect --decode auto` spawned as a user runs it, subprotocol v12.stomp:
 *     CONNECT, SUBSCRIBE /topic/prices with a receipt, SEND to it; the decoded CONNECTED,
 *     RECEIPT and MESSAGE lines. The frames go as `--send-file`, one file each: a STOMP frame
 *     ends in a NUL, which no command-line argument can hold, and a stdin line is one message
 *     without its newlines.
 *  2. The engine, as the app drives it: the composer's frames from `message:encode` sent as
 *     text with `session:send` (so the real broker accepts what the composer writes), and the
 *     answers read back with `frames:decode`; and the broker's ERROR for a SUBSCRIBE it refuses.
 * Nothing is asserted about time.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import type { DecodedFrame } from '../../../src-main/shared/decoding';
import type { EngineEvent } from '../../../src-main/shared/events';
import type { ProtocolMessage } from '../../../src-main/shared/protocol-message';
import type { Result } from '../../../src-main/shared/result';
import { processRuns, rabbitmqMissing, startRabbitMq, type RunningRabbitMq } from '../../support/rabbitmq';
import { portRefuses, waitUntil } from '../../support/wait-until';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ENTRY = path.join(ROOT, 'src-main/cli/index.ts');
/** Only reached when the CLI hangs: a spawn of node + tsx takes seconds on a busy machine. */
const SPAWN_BUDGET_MS = 120_000;

/** RabbitMQ's Web-STOMP session ids and message ids: `session-<base64url>`. */
const SESSION = 'session-[A-Za-z0-9_-]+';

const title = `STOMP with RabbitMQ Web-STOMP${rabbitmqMissing ? ` (skipped: ${rabbitmqMissing})` : ''}`;

describe.skipIf(rabbitmqMissing !== undefined)(title, () => {
  let broker: RunningRabbitMq | undefined;
  let engine: Engine | undefined;

  beforeAll(async () => {
    broker = await startRabbitMq();
  }, 300_000);

  afterEach(async () => {
    await engine?.dispose();
    engine = undefined;
  });

  afterAll(async () => {
    const running = broker;
    broker = undefined;
    if (!running) return;
    const pids = running.pids();
    await running.stop();
    // Nothing of the broker is left: its processes, and its Web-STOMP port.
    for (const pid of [pids.script, pids.vm, pids.epmd]) if (pid !== undefined) expect(processRuns(pid), `pid ${pid}`).toBe(false);
    expect(await portRefuses(running.webStompPort)).toBe(true);
  }, 300_000);

  function started(): RunningRabbitMq {
    if (!broker) throw new Error('the broker did not start');
    return broker;
  }

  describe('tunnelscope connect (a process)', () => {
    interface Line {
      type: string;
      dir?: string;
      opcode?: string;
      protocol?: string;
      reason?: string;
      decoded?: { protocol: string; summary: string; value?: unknown };
    }

    function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
      const env: NodeJS.ProcessEnv = {};
      for (const [name, value] of Object.entries(process.env)) if (!/_proxy$/i.test(name) && name !== 'NO_COLOR') env[name] = value;
      const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { cwd: ROOT, env: { ...env, NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.stdin.end();
      return new Promise((resolve) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), SPAWN_BUDGET_MS);
        child.once('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr });
        });
      });
    }

    let frames = '';
    beforeAll(() => {
      frames = mkdtempSync(path.join(tmpdir(), 'tunnelscope-stomp-frames-'));
      writeFileSync(path.join(frames, 'connect.stomp'), 'CONNECT\naccept-version:1.2\nhost:/\nlogin:guest\npasscode:guest\nheart-beat:0,0\n\n\u0000');
      writeFileSync(path.join(frames, 'subscribe.stomp'), 'SUBSCRIBE\nid:sub-0\ndestination:/topic/prices\nack:auto\nreceipt:r-1\n\n\u0000');
      writeFileSync(path.join(frames, 'send.stomp'), 'SEND\ndestination:/topic/prices\ncontent-type:application/json\ncontent-length:13\n\n{"px":101.25}\u0000');
    });
    afterAll(() => rmSync(frames, { recursive: true, force: true }));
    /** CONNECT (no heart-beats, so only the three answers come), SUBSCRIBE with a receipt, SEND to that topic. */
    const stompArgs = (): string[] => [
      'connect',
      started().webStompUrl,
      '--no-proxy',
      '--subprotocol', 'v12.stomp',
      '--decode', 'auto',
      '--send-file', path.join(frames, 'connect.stomp'),
      '--send-file', path.join(frames, 'subscribe.stomp'),
      '--send-file', path.join(frames, 'send.stomp'),
      '--count', '3',
    ];

    it('--json: the decoded CONNECTED, RECEIPT and MESSAGE the broker sends, and the frames sent', async () => {
      const run = await runCli([...stompArgs(), '--json']);
      expect(run.code, `${run.stderr}\n${started().logs()}`).toBe(0);
      const lines = run.stdout.trimEnd().split('\n').map((line) => JSON.parse(line) as Line);
      expect(lines.find((l) => l.type === 'decode')).toMatchObject({ protocol: 'stomp', reason: 'the server chose the subprotocol v12.stomp' });
      const sent = lines.filter((l) => l.type === 'frame' && l.dir === 'out' && l.opcode === 'text').map((l) => l.decoded?.summary);
      expect(sent).toEqual(['CONNECT / accept-version=1.2 heart-beat=0,0', 'SUBSCRIBE /topic/prices id=sub-0 ack=auto receipt=r-1', 'SEND /topic/prices 13 B']);
      const received = lines.filter((l) => l.type === 'frame' && l.dir === 'in' && l.opcode === 'text');
      expect(received.map((l) => l.decoded?.summary)).toEqual([
        expect.stringMatching(/^CONNECTED version=1\.2 heart-beat=0,0 server=RabbitMQ\/\d+\.\d+\.\d+$/),
        'RECEIPT receipt-id=r-1',
        expect.stringMatching(new RegExp(`^MESSAGE /topic/prices 13 B subscription=sub-0 message-id=T_sub-0@@${SESSION}@@1$`)),
      ]);
      expect(received.map((l) => l.decoded?.value)).toEqual([
        { command: 'CONNECTED', headers: { server: expect.stringMatching(/^RabbitMQ\//), session: expect.stringMatching(new RegExp(`^${SESSION}$`)), 'heart-beat': '0,0', version: '1.2' }, body: '' },
        { command: 'RECEIPT', headers: { 'receipt-id': 'r-1' }, body: '' },
        {
          command: 'MESSAGE',
          headers: {
            subscription: 'sub-0',
            destination: '/topic/prices',
            'message-id': expect.stringMatching(new RegExp(`^T_sub-0@@${SESSION}@@1$`)),
            redelivered: 'false',
            'content-type': 'application/json',
            'content-length': '13',
          },
          body: '{"px":101.25}',
        },
      ]);
    });

    it('the human output: the decoding chosen and one summary per frame', async () => {
      const run = await runCli(stompArgs());
      expect(run.code, `${run.stderr}\n${started().logs()}`).toBe(0);
      expect(run.stderr).toContain('Decoding as STOMP');
      expect(run.stdout).toMatch(/→ .*text.*SUBSCRIBE \/topic\/prices id=sub-0 ack=auto/);
      expect(run.stdout).toMatch(/← .*text.*CONNECTED version=1\.2 heart-beat=0,0 server=RabbitMQ\//);
      expect(run.stdout).toMatch(/← .*text.*RECEIPT receipt-id=r-1/);
      expect(run.stdout).toMatch(/← .*text.*MESSAGE \/topic\/prices 13 B subscription=sub-0 message-id=\S+/);
    });
  });

  describe('the engine, with the composer’s frames', () => {
    function value<T>(result: Result<T>): T {
      if (!result.ok) throw new Error(`command failed: ${JSON.stringify(result.error)}`);
      return result.value;
    }

    const connectFrame: ProtocolMessage = {
      protocol: 'stomp',
      command: 'CONNECT',
      headers: [{ name: 'accept-version', value: '1.2' }, { name: 'host', value: '/' }, { name: 'login', value: 'guest' }, { name: 'passcode', value: 'guest' }, { name: 'heart-beat', value: '0,0' }],
      body: '',
    };

    /** An engine session to the broker (subprotocol v12.stomp), open, with its events and a way to send the composer's frames. */
    async function openStompSession(): Promise<{
      e: Engine;
      sessionId: string;
      mine: () => EngineEvent[];
      incoming: () => number[];
      /** True once the session closed (the broker closes on some errors). */
      closed: () => boolean;
      sendComposed: (message: ProtocolMessage) => Promise<string>;
    }> {
      const e = new Engine({ host: 'web', version: '1', env: {}, batch: { intervalMs: 5 } });
      engine = e;
      const events: EngineEvent[] = [];
      e.onEvent((event) => events.push(event));
      const { sessionId } = value(await e.call('session:open', { options: { url: started().webStompUrl, subprotocols: ['v12.stomp'], proxy: { mode: 'none' } } }));
      const mine = (): EngineEvent[] => events.filter((event) => event.sessionId === sessionId);
      const closed = (): boolean => mine().some((event) => event.type === 'state' && event.state === 'closed');
      await waitUntil('the session to open', () => {
        if (closed()) throw new Error(`closed before opening: ${JSON.stringify(mine())}\n${started().logs()}`);
        return mine().some((event) => event.type === 'state' && event.state === 'open');
      });
      const incoming = (): number[] => mine().flatMap((event) => (event.type === 'frames' ? event.frames.filter((f) => f.dir === 'in' && f.opcode === 'text').map((f) => f.seq) : []));
      /** message:encode, then session:send of what it wrote, as the composer does; the encoder's summary. */
      const sendComposed = async (message: ProtocolMessage): Promise<string> => {
        const encoded = value(await e.call('message:encode', { message }));
        expect(encoded.kind).toBe('text');
        value(await e.call('session:send', { sessionId, kind: 'text', data: encoded.data, builtins: false }));
        return encoded.summary;
      };
      return { e, sessionId, mine, incoming, closed, sendComposed };
    }

    it('message:encode writes frames the broker accepts; frames:decode reads its answers', async () => {
      const { e, sessionId, mine, incoming, closed, sendComposed } = await openStompSession();
      const summaries: string[] = [];
      for (const message of [
        connectFrame,
        { protocol: 'stomp', command: 'SUBSCRIBE', headers: [{ name: 'id', value: 'sub-0' }, { name: 'destination', value: '/topic/prices' }, { name: 'receipt', value: 'r-1' }], body: '' },
        { protocol: 'stomp', command: 'SEND', headers: [{ name: 'destination', value: '/topic/prices' }, { name: 'content-type', value: 'application/json' }, { name: 'receipt', value: 'r-9' }], body: '{"px":101.25}' },
      ] satisfies ProtocolMessage[]) {
        summaries.push(await sendComposed(message));
      }
      expect(summaries).toEqual(['CONNECT / accept-version=1.2 heart-beat=0,0', 'SUBSCRIBE /topic/prices id=sub-0 receipt=r-1', 'SEND /topic/prices 13 B receipt=r-9']);

      // Three frames sent, four answers (the SEND's RECEIPT and the MESSAGE in either order).
      await waitUntil('four answers from the broker', () => {
        if (closed()) throw new Error(`the broker closed: ${JSON.stringify(mine().filter((event) => event.type === 'frames'))}\n${started().logs()}`);
        return incoming().length >= 4;
      });

      const decoding = value(await e.call('session:decoding', { sessionId }));
      expect(decoding.active).toMatchObject({ protocol: 'stomp', reason: 'the server chose the subprotocol v12.stomp' });
      const decoded = value(await e.call('frames:decode', { sessionId, fromSeq: 1, toSeq: 7, values: true })).frames;
      const bySeq = (seqs: number[]): DecodedFrame[] => seqs.map((seq) => decoded.find((f) => f.seq === seq)).filter((f): f is DecodedFrame => f !== undefined);
      const all = bySeq(incoming());
      const sendReceipt = all.find((f) => f.summary === 'RECEIPT receipt-id=r-9');
      const answers = all.filter((f) => f !== sendReceipt);
      expect(answers.map((f) => [f.kind, f.summary])).toEqual([
        ['decoded', expect.stringMatching(/^CONNECTED version=1\.2 heart-beat=0,0 server=RabbitMQ\//)],
        ['decoded', 'RECEIPT receipt-id=r-1'],
        ['decoded', expect.stringMatching(new RegExp(`^MESSAGE /topic/prices 13 B subscription=sub-0 message-id=T_sub-0@@${SESSION}@@1$`))],
      ]);
      // RabbitMQ copies the SEND's receipt header into the MESSAGE it delivers: the MESSAGE still
      // belongs to its subscription, and the SEND's RECEIPT answers the SEND (not the MESSAGE).
      expect(answers[2]?.value).toMatchObject({ headers: { receipt: 'r-9' } });
      expect(answers[2]?.conversation).toEqual({ key: 'stomp subscription sub-0', role: 'stream', label: 'subscription sub-0' });
      const send = decoded.find((f) => f.summary === 'SEND /topic/prices 13 B receipt=r-9');
      expect(sendReceipt?.answers?.seq).toBe(send?.seq);
      // No ERROR frame: the broker took all three as they were written.
      expect(decoded.filter((f) => f.summary.startsWith('ERROR'))).toEqual([]);
      expect(answers[2]?.value).toMatchObject({ command: 'MESSAGE', headers: { destination: '/topic/prices', 'content-type': 'application/json', 'content-length': '13' }, body: '{"px":101.25}' });
      // The RECEIPT answers the SUBSCRIBE that asked for it.
      expect(answers[1]?.conversation).toEqual({ key: 'stomp receipt r-1', role: 'answer', label: 'receipt r-1' });
      const subscribe = decoded.find((f) => f.summary === 'SUBSCRIBE /topic/prices id=sub-0 receipt=r-1');
      expect(answers[1]?.answers?.seq).toBe(subscribe?.seq);
    });

    it('a frame the broker refuses (a destination it does not know): its ERROR is decoded with the broker\'s message and body', async () => {
      const { e, sessionId, incoming, sendComposed } = await openStompSession();
      await sendComposed(connectFrame);
      await waitUntil('CONNECTED', () => incoming().length >= 1);
      // Valid STOMP (the composer writes it), but RabbitMQ has no /nowhere/ destinations.
      await sendComposed({ protocol: 'stomp', command: 'SUBSCRIBE', headers: [{ name: 'id', value: 'sub-1' }, { name: 'destination', value: '/nowhere/x' }], body: '' });
      await waitUntil('an answer to the SUBSCRIBE', () => incoming().length >= 2);
      const decoded = value(await e.call('frames:decode', { sessionId, seqs: incoming(), values: true })).frames;
      expect(decoded.map((f) => [f.kind, f.summary])).toEqual([
        ['decoded', expect.stringMatching(/^CONNECTED /)],
        ['decoded', expect.stringMatching(/^ERROR 'Unknown destination' \d+ B$/)],
      ]);
      expect(decoded[1]?.value).toMatchObject({
        command: 'ERROR',
        headers: { message: 'Unknown destination', 'content-type': 'text/plain' },
        body: expect.stringContaining("'/nowhere/x' is not a valid destination."),
      });
    });
  });
});
