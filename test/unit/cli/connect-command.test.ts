import { afterEach, describe, expect, it, vi } from 'vitest';
import { REPLY_IDLE_MS, runConnect } from '../../../src-main/cli/connect-command';
import { parseCommandLine, type ConnectCommand } from '../../../src-main/cli/parse-args';
import type { NetError } from '../../../src-main/shared/errors';
import { FakeEngine, fakeIo } from './fake-engine';

function connect(...args: string[]): ConnectCommand {
  const command = parseCommandLine(['connect', 'ws://127.0.0.1:1/', ...args]);
  if (command.kind !== 'connect') throw new Error('expected connect');
  return command;
}

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
process.on('unhandledRejection', onUnhandled);
afterEach(() => {
  expect(unhandled).toEqual([]);
});

function callNames(engine: FakeEngine): string[] {
  return engine.calls.map((c) => c.name);
}

describe('connect: what is sent and when the session closes', () => {
  it('sends --send messages in order, closes with 1000 after one reply each, exits 0', async () => {
    const engine = new FakeEngine();
    const io = fakeIo();
    const code = await runConnect(connect('--send', 'hello', '--send-binary', '0102', '--proxy', 'http://127.0.0.1:3128'), engine, io);
    expect(code).toBe(0);
    const sends = engine.calls.filter((c) => c.name === 'session:send').map((c) => c.arg);
    expect(sends).toEqual([
      { sessionId: 's1', kind: 'text', data: 'hello', builtins: true },
      { sessionId: 's1', kind: 'binary', data: 'AQI=' },
    ]);
    expect(engine.calls.find((c) => c.name === 'session:close')?.arg).toEqual({ sessionId: 's1', code: 1000 });
    const out = io.stdoutText();
    expect(out).toMatch(/→ .*text .*hello/);
    expect(out).toMatch(/← .*text .*hello/);
    expect(out).toContain('client > proxy');
    expect(out).toContain('Proxy-Authorization: Basic ••••••');
    expect(out).not.toContain('YWxpY2U6czNjcmV0');
    expect(out).toMatch(/Closed .*we closed with 1000/);
  });

  it('closes after --count incoming messages, not before', async () => {
    const engine = new FakeEngine({ greet: ['one', 'two', 'three'] });
    const io = fakeIo();
    const code = await runConnect(connect('--count', '2'), engine, io);
    expect(code).toBe(0);
    expect(callNames(engine).filter((n) => n === 'session:close')).toHaveLength(1);
    expect(io.stdoutText()).toContain('two');
  });

  it('with --send and no reply, closes after a quiet spell of REPLY_IDLE_MS, not before (fake time)', async () => {
    vi.useFakeTimers();
    try {
      const engine = new FakeEngine({ echo: false });
      const io = fakeIo();
      let code: number | undefined;
      void runConnect(connect('--send', 'anyone?'), engine, io).then((exit) => (code = exit));
      // Opened and sent: then the quiet spell starts.
      await vi.advanceTimersByTimeAsync(50);
      expect(callNames(engine)).toContain('session:send');
      await vi.advanceTimersByTimeAsync(REPLY_IDLE_MS - 100);
      expect(callNames(engine)).not.toContain('session:close');
      await vi.advanceTimersByTimeAsync(100);
      expect(callNames(engine)).toContain('session:close');
      await vi.advanceTimersByTimeAsync(1_000);
      expect(code).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('sends stdin lines as text messages (also those typed before open) and closes at end of input', async () => {
    const engine = new FakeEngine();
    const io = fakeIo();
    io.stdinStream.write('first\nsecond\n');
    const running = runConnect(connect(), engine, io);
    setTimeout(() => io.stdinStream.end('third\n'), 30);
    expect(await running).toBe(0);
    const sent = engine.calls.filter((c) => c.name === 'session:send').map((c) => (c.arg as { data: string }).data);
    expect(sent).toEqual(['first', 'second', 'third']);
    expect(callNames(engine).at(-1)).toBe('session:close');
  });

  it('--listen ignores stdin and stays open until Ctrl-C, which closes with 1000 and exits 0', async () => {
    const engine = new FakeEngine({ greet: ['tick'] });
    const io = fakeIo();
    io.stdinStream.end('not a message\n');
    const running = runConnect(connect('--listen'), engine, io);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(callNames(engine)).not.toContain('session:close');
    io.interrupt();
    expect(await running).toBe(0);
    expect(callNames(engine)).not.toContain('session:send');
    expect(engine.calls.find((c) => c.name === 'session:close')?.arg).toEqual({ sessionId: 's1', code: 1000 });
    expect(io.stderrText()).toContain('Interrupted');
  });
});

const refused: NetError = {
  kind: 'net',
  stage: 'tunnel',
  code: 'PROXY_REFUSED',
  message: 'The proxy refused to open the tunnel (HTTP/1.1 403 Forbidden).',
  hint: 'Ask the proxy administrators.',
  details: {
    target: '127.0.0.1:1',
    proxy: 'http://127.0.0.1:3128',
    proxyResponse: {
      startLine: 'HTTP/1.1 403 Forbidden',
      headers: [['Server', 'squid/5.7'], ['Content-Type', 'text/html']],
      bodyPreview: '<html><head><style>p{}</style></head><body><p>Access control configuration prevents your request</p></body></html>',
      bodyBytes: 120,
    },
  },
};

describe('connect: failures', () => {
  it('explains a failure on stderr in plain words and exits 1', async () => {
    const engine = new FakeEngine({ failWith: refused });
    const io = fakeIo();
    const code = await runConnect(connect('--send', 'x'), engine, io);
    expect(code).toBe(1);
    const err = io.stderrText();
    expect(err).toContain('The proxy refused the tunnel');
    expect(err).toContain('[stage tunnel, PROXY_REFUSED]');
    expect(err).toContain('HTTP/1.1 403 Forbidden');
    expect(err).toContain('Access control configuration prevents your request');
    expect(err).not.toContain('p{}');
    expect(err).toContain('Hint: Ask the proxy administrators.');
    expect(callNames(engine)).not.toContain('session:send');
    // Never opened: no "Closed" line, the failure says it all.
    expect(io.stdoutText()).not.toContain('Closed');
  });

  it('in --json, every line is an object with a type, the error is a line, and no secret appears', async () => {
    const engine = new FakeEngine({ failWith: refused });
    const io = fakeIo();
    const command = connect('--json', '--proxy-user', 'alice:s3cret', '--proxy', 'http://127.0.0.1:3128');
    expect(await runConnect(command, engine, io)).toBe(1);
    const lines = io.stdoutText().trim().split('\n').map((line) => JSON.parse(line) as { type: string } & Record<string, unknown>);
    expect(lines.map((l) => l.type)).toEqual(['resolve', 'state', 'state', 'handshake', 'error', 'state', 'closed']);
    expect(lines[0]).toMatchObject({ type: 'resolve', source: 'manual', proxy: 'http://127.0.0.1:3128', reason: '--proxy given' });
    expect(lines.find((l) => l.type === 'error')).toMatchObject({ stage: 'tunnel', code: 'PROXY_REFUSED' });
    expect(io.stdoutText()).not.toContain('s3cret');
    expect(io.stdoutText()).not.toContain('YWxpY2U6czNjcmV0');
    expect(io.stderrText()).toContain('The proxy refused the tunnel');
  });
});

describe('connect --json frames', () => {
  it('gives text for text frames (full, even when the preview was cut) and base64 for binary', async () => {
    const engine = new FakeEngine();
    const io = fakeIo();
    const long = 'a fairly long message';
    const code = await runConnect(connect('--json', '--send', long, '--send-binary', '00ff00ff00ff00ff00ff'), engine, io);
    expect(code).toBe(0);
    const frames = io
      .stdoutText()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((l) => l.type === 'frame');
    // Both messages go out before the first echo comes back: order is by seq, as the engine numbers them.
    expect(frames.map((f) => `${String(f.dir)} ${String(f.opcode)}`).sort()).toEqual(
      ['in binary', 'in close', 'in text', 'out binary', 'out close', 'out text'],
    );
    expect(frames.find((f) => f.dir === 'out' && f.opcode === 'text')).toMatchObject({ seq: 1, text: long, size: long.length });
    expect(frames.find((f) => f.dir === 'in' && f.opcode === 'text')).toMatchObject({ text: long });
    expect(frames.find((f) => f.dir === 'out' && f.opcode === 'binary')).toMatchObject({
      base64: Buffer.from('00ff00ff00ff00ff00ff', 'hex').toString('base64'),
      size: 10,
    });
    expect(frames.find((f) => f.dir === 'out' && f.opcode === 'close')).toMatchObject({ code: 1000, reason: '' });
    expect(frames.map((f) => f.seq)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('connect: Ctrl-C before open', () => {
  it('closes the session that is still connecting and exits 0', async () => {
    const engine = new FakeEngine();
    const io = fakeIo();
    const running = runConnect(connect('--listen'), engine, io);
    io.interrupt();
    expect(await running).toBe(0);
  });
});
