/** One usage error names every bad --ca / --cert / --key / --proxy-ca file, not just the first. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseCommandLine, UsageError } from '../../../src-main/cli/parse-args';
import { trustedServer } from '../../support/certs';

let dir = '';
const file = (name: string): string => path.join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tunnelscope-file-flags-'));
  const { ca, cert, key } = trustedServer();
  await writeFile(file('ca.pem'), ca);
  await writeFile(file('cert.pem'), cert);
  await writeFile(file('key.pem'), key);
  await writeFile(file('empty.pem'), '');
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function usageError(args: string[]): string {
  try {
    parseCommandLine(args);
  } catch (error) {
    if (error instanceof UsageError) return error.message;
    throw error;
  }
  throw new Error(`no usage error for ${args.join(' ')}`);
}

describe('file flags: every bad file in one usage error', () => {
  it('names each bad file with its flag, good ones not', () => {
    const message = usageError([
      'connect', 'wss://h/',
      '--ca', file('ca.pem'),
      '--ca', '/nonexistent/one.pem',
      '--cert', file('empty.pem'),
      '--key', file('cert.pem'),
      '--proxy', 'https://p.example:3128',
      '--proxy-ca', '/nonexistent/proxy.pem',
    ]);
    expect(message).toContain('--ca: "/nonexistent/one.pem" does not exist');
    expect(message).toMatch(/--cert: .*empty\.pem.*is not PEM/);
    expect(message).toContain('--key: ');
    expect(message).toContain('holds no private key');
    expect(message).toContain('--proxy-ca: "/nonexistent/proxy.pem" does not exist');
    expect(message.split('; ').filter((part) => part.startsWith('--'))).toHaveLength(4);
    expect(message).not.toContain('ca.pem"');
  });

  it('one bad file alone reads as before', () => {
    expect(usageError(['connect', 'ws://h/', '--ca', '/nonexistent/ca.pem'])).toBe('--ca: "/nonexistent/ca.pem" does not exist');
  });

  it('good files pass and are resolved to absolute paths', () => {
    const command = parseCommandLine(['connect', 'wss://h/', '--ca', file('ca.pem'), '--cert', file('cert.pem'), '--key', file('key.pem')]);
    if (command.kind !== 'connect') throw new Error('expected connect');
    expect(command.options?.tls?.caFiles).toEqual([file('ca.pem')]);
    expect(command.options?.tls?.certFile).toBe(file('cert.pem'));
    expect(command.options?.tls?.keyFile).toBe(file('key.pem'));
  });
});
