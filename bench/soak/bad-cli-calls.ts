/**
 * The command line fed bad calls, each in its own process as a user runs it: unknown options,
 * missing and malformed values, conflicting options, unreadable files, bad URLs, a damaged
 * profile import. Held when each exits with the documented status and a message on stderr
 * that is one or a few plain lines: no stack trace, no "[object Object]", no escape sequence.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inBatches, type SoakResult } from './soak-result';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI = path.join(ROOT, 'src-main/cli/index.ts');
const CALL_BUDGET_MS = 30_000;

interface BadCall {
  args: string[];
  /** 2: a usage error; 1: the command ran and failed. */
  status: 1 | 2;
}

function badCalls(dir: string): BadCall[] {
  const missing = path.join(dir, 'missing.pem');
  const garbage = path.join(dir, 'garbage.pem');
  const damaged = path.join(dir, 'damaged.json');
  const notProfiles = path.join(dir, 'not-profiles.json');
  fs.writeFileSync(garbage, 'not a certificate\n');
  fs.writeFileSync(damaged, '{"format": "tunnelscope-profiles", "profiles": [ {');
  fs.writeFileSync(notProfiles, JSON.stringify({ profiles: [{ name: 42 }] }));
  const url = 'ws://127.0.0.1:9/';
  const usage = (...args: string[]): BadCall => ({ args, status: 2 });
  return [
    usage('frobnicate'),
    usage('connect'),
    usage('connect', 'http://127.0.0.1:9/'),
    usage('connect', 'ftp://127.0.0.1/'),
    usage('connect', 'not a url'),
    usage('connect', 'ws://'),
    usage('connect', 'ws://127.0.0.1:0/'),
    usage('connect', 'ws://127.0.0.1:99999/'),
    usage('connect', 'ws://127.0.0.1:-1/'),
    usage('connect', url, '--bogus'),
    usage('connect', url, '--timeout'),
    usage('connect', url, '--timeout', 'soon'),
    usage('connect', url, '--timeout', '-5'),
    usage('connect', url, '--timeout', '0'),
    usage('connect', url, '--count', 'x'),
    usage('connect', url, '--count', '-1'),
    usage('connect', url, '--count', '1.5'),
    usage('connect', url, '--send-binary', 'zz'),
    usage('connect', url, '--send-binary', 'abc'),
    usage('connect', url, '--proxy'),
    usage('connect', url, '--proxy', 'not a url'),
    usage('connect', url, '--proxy', 'ftp://127.0.0.1:21'),
    usage('connect', url, '--proxy', 'http://127.0.0.1:0'),
    usage('connect', url, '--proxy', 'http://127.0.0.1:3128', '--no-proxy'),
    usage('connect', url, '--proxy', 'http://127.0.0.1:3128', '--pac', './x.pac'),
    usage('connect', url, '--no-proxy', '--pac', './x.pac'),
    usage('connect', url, '--pac', path.join(dir, 'missing.pac')),
    usage('connect', url, '--proxy-user', 'nocolon'),
    usage('connect', url, '--ca', missing),
    usage('connect', url, '--ca', garbage),
    usage('connect', url, '--proxy-ca', missing),
    usage('connect', url, '--cert', garbage),
    usage('connect', url, '--cert', garbage, '--key', missing),
    usage('connect', url, '--key', garbage),
    usage('connect', url, '-H'),
    usage('connect', url, '-H', 'no colon here'),
    usage('connect', url, '-H', 'Bad Name: x'),
    usage('connect', url, '-H', 'X-Evil: a\r\nInjected: b'),
    usage('connect', url, '--subprotocol', 'has space'),
    usage('connect', url, '--keep-frames', '10'),
    usage('connect', url, '--keep-frames', 'many'),
    usage('connect', url, '--keep-mb', '0'),
    usage('connect', url, '--keep-mb', '99999'),
    usage('connect', url, '--export', path.join(dir, 'log.txt')),
    usage('connect', url, '--export', path.join(dir, 'no-such-dir', 'log.ndjson')),
    usage('connect', url, '--listen', '--count'),
    usage('connect', '--profile'),
    usage('connect', '--profile', 'Soak', '--proxy', 'http://127.0.0.1:3128'),
    usage('resolve'),
    usage('resolve', 'http://127.0.0.1/'),
    usage('resolve', url, '--pac'),
    usage('resolve', url, '--bogus'),
    usage('profiles', 'frobnicate'),
    usage('profiles', 'show'),
    usage('profiles', 'import'),
    usage('profiles', 'import', path.join(dir, 'missing.json')),
    { args: ['profiles', 'import', damaged], status: 1 },
    { args: ['profiles', 'import', notProfiles], status: 1 },
    // A profile name that names none is a usage error, like any other argument that names nothing.
    usage('connect', '--profile', 'No such profile'),
    usage('profiles', 'show', 'No such profile'),
  ];
}

interface Ran {
  status: number | null;
  stderr: string;
}

function run(args: string[], dataDir: string): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { PATH: process.env.PATH ?? '', HOME: dataDir, TUNNELSCOPE_DATA_DIR: dataDir, TUNNELSCOPE_SECRET_STORE: 'keyfile' },
    });
    let stderr = '';
    const budget = setTimeout(() => child.kill('SIGKILL'), CALL_BUDGET_MS);
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.once('close', (status) => {
      clearTimeout(budget);
      resolve({ status, stderr });
    });
  });
}

/** What is wrong with a bad call's stderr, or undefined when it reads as a clear message. */
function unclear(stderr: string): string | undefined {
  if (stderr.trim() === '') return 'nothing on stderr';
  if (/^\s+at .+:\d+:\d+\)?$/m.test(stderr)) return 'a stack trace';
  if (stderr.includes('[object Object]') || /\bundefined\b/.test(stderr)) return '"[object Object]" or "undefined" in the message';
  if (/[\u001b\u0007]/.test(stderr)) return 'an escape sequence';
  return undefined;
}

export async function soakBadCliCalls(): Promise<SoakResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tunnelscope-soak-cli-'));
  fs.chmodSync(dir, 0o700);
  const calls = badCalls(dir);
  const name = `${calls.length} bad command-line calls, each a process`;
  const problems: string[] = [];
  let clear = 0;
  try {
    await inBatches(calls, 2, async (call) => {
      const ran = await run(call.args, dir);
      const shown = `tunnelscope ${call.args.join(' ')}`.replaceAll(dir, '<tmp>');
      const why = unclear(ran.stderr);
      if (ran.status !== call.status) problems.push(`${shown}: exit ${String(ran.status)}, expected ${call.status}; stderr: ${ran.stderr.trim().split('\n')[0] ?? ''}`);
      else if (why) problems.push(`${shown}: ${why}: ${ran.stderr.trim().slice(0, 200)}`);
      else clear += 1;
    });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { name, figures: [`${clear} of ${calls.length} answered with the right status and a clear message`], problems };
}
