/**
 * The contract over the web host's WebSocket (127.0.0.1, a real engine and profile store): a
 * page asking for `profiles:export { includeSecrets: true }` is refused and gets no secret; the
 * code goes to the host's terminal (its log), and only a call carrying it gets the export, once.
 */
import path from 'node:path';
import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { webServerMessageSchema } from '../../../src-main/shared/bridge';
import { startWebHost, type WebHost } from '../../../src-main/web/server';
import { SECRETS, fullProfileInput, makeTempDir, saveArg, valueOf } from '../../unit/profiles/profile-fixtures';

const TOKEN = 'secret-export-token-0123456789abcdef';

let temp: ReturnType<typeof makeTempDir>;
let engine: Engine;
let host: WebHost;
let terminal: string[];
let ws: WebSocket;

beforeEach(async () => {
  temp = makeTempDir('tunnelscope-web-secrets-');
  const site = path.join(temp.dir, 'renderer');
  fs.mkdirSync(site);
  fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>Tunnelscope</title>');
  const dataDir = path.join(temp.dir, 'data');
  engine = new Engine({ host: 'web', version: '1.0.0', env: {}, profiles: { dataDir, cipher: KeyFileCipher.open(dataDir) } });
  valueOf(await engine.call('profiles:save', saveArg(fullProfileInput())));
  terminal = [];
  host = await startWebHost({ engine, rendererDir: site, token: TOKEN, log: (line) => terminal.push(line) });
  ws = new WebSocket(`ws://127.0.0.1:${host.port}/api?token=${TOKEN}`, { headers: { Origin: `http://127.0.0.1:${host.port}` } });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
});
afterEach(async () => {
  ws.terminate();
  await host.close();
  await engine.dispose();
  temp.cleanup();
});

let nextId = 1;
/** One call over the wire; resolves to the raw result and the text it came in. */
function call(name: string, arg: unknown): Promise<{ result: { ok: boolean; value?: { text?: string }; error?: { code: string; message: string; path?: string } }; raw: string }> {
  const id = nextId++;
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const raw = data.toString('utf8');
      const message = webServerMessageSchema.parse(JSON.parse(raw));
      if (message.type !== 'result' || message.id !== id) return;
      ws.off('message', onMessage);
      resolve({ result: message.result as never, raw });
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ type: 'call', id, name, arg }));
  });
}

describe('profiles:export with secrets from a page', () => {
  it('is refused without the code, and the answer holds no secret and no code', async () => {
    const { result, raw } = await call('profiles:export', { includeSecrets: true });
    expect(result.ok).toBe(false);
    expect(result.error).toMatchObject({ code: 'FORBIDDEN', path: 'confirmationCode' });
    for (const secret of Object.values(SECRETS)) expect(raw).not.toContain(secret);
    const code = /code in the page: (\S+)/.exec(terminal.join('\n'))?.[1] ?? '';
    expect(code).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect(raw).not.toContain(code);
  });

  it('is refused with a made-up code, allowed with the terminal code once, refused when it is reused', async () => {
    await call('profiles:export', { includeSecrets: true });
    const code = /code in the page: (\S+)/.exec(terminal.join('\n'))?.[1] ?? '';
    const guessed = await call('profiles:export', { includeSecrets: true, confirmationCode: 'ZZZZ-ZZZZ' });
    expect(guessed.result.error).toMatchObject({ code: 'FORBIDDEN' });
    expect(guessed.raw).not.toContain(SECRETS.proxyPassword);
    const allowed = await call('profiles:export', { includeSecrets: true, confirmationCode: code });
    expect(allowed.result.ok).toBe(true);
    expect(allowed.result.value?.text).toContain(SECRETS.proxyPassword);
    const reused = await call('profiles:export', { includeSecrets: true, confirmationCode: code });
    expect(reused.result.error).toMatchObject({ code: 'FORBIDDEN', path: 'confirmationCode' });
    expect(reused.raw).not.toContain(SECRETS.proxyPassword);
  });

  it('an export without secrets needs no code', async () => {
    const { result, raw } = await call('profiles:export', { includeSecrets: false });
    expect(result.ok).toBe(true);
    expect(raw).not.toContain(SECRETS.proxyPassword);
    expect(terminal).toEqual([]);
  });
});
