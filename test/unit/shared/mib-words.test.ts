/**
 * Sizes and limits a user reads say MiB where 1,048,576 bytes are meant (format-bytes.ts's
 * wording): the messages that had no test of their words. Large files are sparse (truncate), so
 * nothing of their size is written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { historyText } from '../../../src-main/cli/history-text';
import { parseVariableFlags } from '../../../src-main/cli/variable-flags';
import { ProfileStore } from '../../../src-main/core/profiles/profile-store';
import { commandRunner } from '../../../src-main/core/proxy/system/run-command';
import { OpeningLedger } from '../../../src-main/core/session/opening-ledger';
import { OS_CA_BUNDLE_ENV, readOsTrustStore } from '../../../src-main/core/tls/os-trust-store';
import { checkPemFile } from '../../../src-main/core/tls/tls-material';
import { variableValueSchema } from '../../../src-main/shared/environments';
import { historySchema, MIB } from '../../../src-main/shared/model';
import { placeLabel } from '../../../src-renderer/src/util/problem-place';
import { makeTempDir } from '../profiles/profile-fixtures';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir('tunnelscope-mib-words-');
});
afterEach(() => temp.cleanup());

/** A file of `bytes` bytes that takes no room on disk. */
function sparseFile(name: string, bytes: number): string {
  const file = path.join(temp.dir, name);
  fs.writeFileSync(file, '');
  fs.truncateSync(file, bytes);
  return file;
}

const stomp = (command: string, headers: Record<string, string> = {}, body = ''): string => `${command}\n${Object.entries(headers).map(([k, v]) => `${k}:${v}\n`).join('')}\n${body}\0`;

describe('history kept', () => {
  it('profiles show, the contract and the problem label say MiB', () => {
    expect(historyText(undefined)).toBe('the newest 1,000,000 frames, within 512 MiB of payload (the default)');
    expect(historyText({ maxFrames: 1000, maxBytes: 1.5 * MIB })).toBe('the newest 1,000 frames, within 1.5 MiB of payload');
    expect(historySchema.safeParse({ maxBytes: MIB - 1 }).error?.issues[0]?.message).toBe('keep at least 1 MiB of payload');
    expect(historySchema.safeParse({ maxBytes: 4097 * MIB }).error?.issues[0]?.message).toBe('at most 4,096 MiB of payload can be kept');
    expect(placeLabel('history.maxBytes')).toBe('history kept (MiB)');
  });
});

describe('files too large to be what they should be', () => {
  it('profiles.json past 64 MiB is set aside, its size said in MiB', async () => {
    sparseFile('profiles.json', 65 * MIB + 300 * 1024);
    const store = new ProfileStore({ dataDir: temp.dir });
    await store.read();
    const notice = store.notices().find((n) => n.kind === 'set-aside');
    expect(notice?.message).toContain('profiles.json is 65.3 MiB, far more than a list of profiles;');
  });

  it('a PEM file past 10 MiB', () => {
    const file = sparseFile('ca.pem', 10 * MIB + 1);
    expect(checkPemFile(file)).toEqual({ ok: false, reason: 'too-large', message: `"${file}" is larger than 10 MiB, too large for a PEM file` });
  });

  it('an OS CA bundle past 32 MiB', async () => {
    const file = sparseFile('bundle.pem', 32 * MIB + 1);
    const store = await readOsTrustStore({ env: { [OS_CA_BUNDLE_ENV]: file } });
    expect(store.problems.map((p) => p.message)).toEqual(['it is larger than 32 MiB']);
  });

  it('a settings tool that prints more than 1 MiB', async () => {
    const run = commandRunner({});
    await expect(run(process.execPath, ['-e', 'process.stdout.write("x".repeat(2 * 1024 * 1024))'])).rejects.toThrow(/` printed more than 1 MiB$/);
  });
});

describe('what a reconnect cannot send again', () => {
  it('an opening over several messages past 1 MiB', () => {
    const l = new OpeningLedger({ url: 'ws://h/', subprotocols: [] });
    l.sent('text', Buffer.from(stomp('CONNECT', { login: 'u' })));
    const piece = 'x'.repeat(64 * 1024);
    l.sent('text', Buffer.from(`CONNECT\nlogin:v\n\n${piece}`));
    for (let i = 0; i < 17; i++) l.sent('text', Buffer.from(piece));
    l.sent('text', Buffer.from('\0'));
    expect(l.plan()?.notSent).toEqual(['a packet of more than 1 MiB over several messages: not kept to send again']);
  });

  it('more subscriptions than it keeps', () => {
    const l = new OpeningLedger({ url: 'ws://h/', subprotocols: [] });
    l.sent('text', Buffer.from(stomp('CONNECT', { login: 'u' })));
    for (let i = 0; i < 200; i++) l.sent('text', Buffer.from(stomp('SUBSCRIBE', { id: String(i), destination: `/t/${i}` })));
    expect(l.plan()?.notSent).toEqual(['STOMP SUBSCRIBE /t/199: more than 200 messages or 1 MiB to send again']);
  });
});

describe('character limits say how many characters, and the KiB they are', () => {
  it('a --var value and a variable value over 65,536 characters', () => {
    const long = 'x'.repeat(64 * 1024 + 1);
    expect(() => parseVariableFlags(undefined, [`token=${long}`])).toThrow('--var token: a value is at most 65,536 characters (64 KiB)');
    const parsed = variableValueSchema.safeParse(long);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('a variable value is at most 65,536 characters (64 KiB)');
  });
});
