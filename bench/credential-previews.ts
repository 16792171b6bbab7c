/**
 * What masking credentials in the app's previews costs (session/frame-credential-ranges.ts):
 * an engine as the web host makes it (host 'web') captures a flood from a server process, and a
 * listener reads every batch's summaries, as a host does when it serialises a batch for a page.
 * CPU of this process per message, from the session's open to its close. Floods: plain text
 * (recognised as no credential protocol: nothing read), STOMP MESSAGE frames (each read, none
 * masked) and STOMP MESSAGE frames each with an authorization header (each masked).
 *   npx tsx bench/credential-previews.ts [messages=200000] [rounds=3]
 * Run it on two trees (git archive copies) to compare before and after.
 */
import { spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Engine } from '../src-main/core/engine';
import type { FrameSummary } from '../src-main/shared/model';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'credential-previews-server.mjs');
const MESSAGES = Number(process.argv[2] ?? 200_000);
const ROUNDS = Number(process.argv[3] ?? 3);
const KINDS = ['plain', 'stomp', 'stomp-auth'] as const;

async function server(kind: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, [CHILD, kind, String(MESSAGES)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve) => {
    let buffered = '';
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const line = buffered.split('\n')[0];
      if (buffered.includes('\n') && line !== undefined) {
        const parsed: unknown = JSON.parse(line);
        resolve(typeof parsed === 'object' && parsed !== null && 'port' in parsed && typeof parsed.port === 'number' ? parsed.port : 0);
      }
    });
  });
  return { url: `ws://127.0.0.1:${port}/`, stop: () => child.stdin.end() };
}

async function run(kind: string): Promise<{ cpuUsPerMessage: number; masked: number }> {
  const { url, stop } = await server(kind);
  const engine = new Engine({ host: 'web', version: 'bench', env: {} });
  let frames = 0;
  let masked = 0;
  let started: NodeJS.CpuUsage | undefined;
  let sessionId = '';
  const done = new Promise<NodeJS.CpuUsage>((resolve) => {
    engine.onEvent((event) => {
      if (event.sessionId !== sessionId) return;
      if (event.type === 'state' && event.state === 'open') started = process.cpuUsage();
      if (event.type === 'frames') {
        const list: FrameSummary[] = event.frames;
        frames += list.length;
        for (const frame of list) if (frame.preview.includes('authorization:*')) masked++;
      }
      if (event.type === 'closed') resolve(process.cpuUsage(started));
    });
  });
  const opened = await engine.call('session:open', { options: { url, proxy: { mode: 'none' } } });
  if (!opened.ok) throw new Error(opened.error.message);
  sessionId = opened.value.sessionId;
  const cpu = await done;
  await engine.dispose();
  stop();
  if (frames < MESSAGES) throw new Error(`only ${frames} of ${MESSAGES} frames read`);
  return { cpuUsPerMessage: (cpu.user + cpu.system) / MESSAGES, masked };
}

const results = new Map<string, number[]>();
for (const kind of KINDS) await run(kind); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  for (const kind of KINDS) {
    const { cpuUsPerMessage, masked } = await run(kind);
    results.set(kind, [...(results.get(kind) ?? []), cpuUsPerMessage]);
    if (round === 0) console.log(`${kind}: ${masked} previews masked`);
  }
}
for (const [kind, values] of results) console.log(`${kind}: ${values.map((v) => v.toFixed(2)).join(' ')} µs CPU/msg (load ${os.loadavg()[0]?.toFixed(1)})`);
