/**
 * One test per migration: a real version-1 profiles.json (flat proxy and TLS fields, no header
 * ids, no saved messages, no revision) read as version 2, field by field, in the store and in
 * an export file; and a newer version reported, not read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStoredDocument } from '../../../src-main/core/profiles/migrations';
import { ProfileService } from '../../../src-main/core/profiles/profile-service';
import { parseImportText } from '../../../src-main/core/profiles/profile-transfer';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { makeTempDir, saveArg, valueOf } from './profile-fixtures';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => (temp = makeTempDir()));
afterEach(() => temp.cleanup());

/** A version-1 document with every v1 field; `secret` makes the encrypted fields. */
function v1Document(secret: (text: string) => unknown): { version: number; profiles: unknown[] } {
  return {
    version: 1,
    profiles: [
      {
        id: 'legacy-1',
        createdAt: 1_600_000_000_000,
        updatedAt: 1_600_000_500_000,
        name: 'Legacy gateway',
        url: 'wss://legacy.example/ws',
        headers: [
          { name: 'X-Team', value: 'blue' },
          { name: 'Authorization', secret: true, value: secret('Bearer legacy-token') },
        ],
        subprotocols: ['mqtt'],
        origin: 'https://legacy.example',
        proxyMode: 'manual',
        proxyUrl: 'http://old-proxy.corp:8080',
        pacUrl: 'http://wpad.corp/wpad.dat',
        proxyUser: 'carol',
        proxyPassword: secret('legacy-proxy-pw'),
        caFiles: ['/etc/ssl/legacy-ca.pem'],
        insecure: false,
        certFile: '/home/carol/c.pem',
        keyFile: '/home/carol/k.pem',
        keyPassphrase: secret('legacy-passphrase'),
        handshakeTimeoutMs: 7000,
      },
      { id: 'legacy-2', createdAt: 1, updatedAt: 2, name: 'PAC file', url: 'ws://10.0.0.1/', proxyMode: 'pac', pacUrl: '/etc/proxy.pac' },
    ],
  };
}

describe('migration v1 → v2 (profiles.json)', () => {
  it('maps every v1 field to its v2 place', () => {
    const cipher = KeyFileCipher.open(temp.dir);
    const read = readStoredDocument(v1Document((text) => cipher.encrypt(text)));
    if (read.kind !== 'ok') throw new Error(`expected ok, got ${read.kind}`);
    expect(read.migratedFrom).toBe(1);
    expect(read.problems).toEqual([]);
    expect(read.doc.revision).toBe(0);
    const [legacy, pac] = read.doc.profiles;
    expect(legacy).toMatchObject({
      id: 'legacy-1',
      revision: 1,
      createdAt: 1_600_000_000_000,
      updatedAt: 1_600_000_500_000,
      name: 'Legacy gateway',
      url: 'wss://legacy.example/ws',
      subprotocols: ['mqtt'],
      origin: 'https://legacy.example',
      proxy: { mode: 'manual', url: 'http://old-proxy.corp:8080', pac: { kind: 'url', url: 'http://wpad.corp/wpad.dat' }, username: 'carol', caFiles: [] },
      tls: { caFiles: ['/etc/ssl/legacy-ca.pem'], insecure: false, certFile: '/home/carol/c.pem', keyFile: '/home/carol/k.pem' },
      handshakeTimeoutMs: 7000,
      savedMessages: [],
    });
    expect(legacy?.reconnect).toBeUndefined();
    expect(legacy?.headers.map((h) => [h.id, h.name, h.secret])).toEqual([
      ['h1', 'X-Team', false],
      ['h2', 'Authorization', true],
    ]);
    const secretHeader = legacy?.headers[1];
    if (!secretHeader?.secret || !secretHeader.value || !legacy?.proxy.password || !legacy.tls.passphrase) throw new Error('secrets lost in the migration');
    expect(cipher.decrypt(secretHeader.value)).toBe('Bearer legacy-token');
    expect(cipher.decrypt(legacy.proxy.password)).toBe('legacy-proxy-pw');
    expect(cipher.decrypt(legacy.tls.passphrase)).toBe('legacy-passphrase');
    expect(pac?.proxy).toEqual({ mode: 'pac', pac: { kind: 'file', path: '/etc/proxy.pac' }, caFiles: [] });
  });

  it('gives the same header ids on every read (a kept secret can be found again)', () => {
    const doc = v1Document(() => ({ enc: 'keyfile', data: 'AQIDBA==' }));
    const first = readStoredDocument(doc);
    const second = readStoredDocument(doc);
    if (first.kind !== 'ok' || second.kind !== 'ok') throw new Error('expected ok');
    expect(first.doc).toEqual(second.doc);
  });

  it('is used by the store: profiles read, the first save writes v2 and keeps a copy of the v1 file', async () => {
    const cipher = KeyFileCipher.open(temp.dir);
    const file = path.join(temp.dir, 'profiles.json');
    const original = JSON.stringify(v1Document((text) => cipher.encrypt(text)), null, 2);
    fs.writeFileSync(file, original);
    const service = new ProfileService({ dataDir: temp.dir, cipher });

    const listed = valueOf(await service.list()).profiles;
    expect(listed.map((p) => p.name)).toEqual(['Legacy gateway', 'PAC file']);
    expect(fs.readFileSync(file, 'utf8')).toBe(original); // reading alone changes nothing
    const notice = valueOf(await service.status()).notices.find((n) => n.kind === 'migrated');
    expect(notice?.message).toContain('format 1');

    // Keep the migrated secret header by its derived id, change something else.
    const legacy = listed[0];
    if (!legacy) throw new Error('missing');
    const input = {
      id: legacy.id,
      name: legacy.name,
      url: legacy.url,
      headers: legacy.headers.map((h) => (h.secret ? { id: h.id, name: h.name, secret: true as const, value: { set: true } } : h)),
      subprotocols: legacy.subprotocols,
      proxy: { mode: legacy.proxy.mode, url: 'http://new-proxy.corp:3128', username: 'carol' },
      tls: { caFiles: legacy.tls.caFiles, certFile: legacy.tls.certFile, keyFile: legacy.tls.keyFile },
      savedMessages: [{ name: 'ping', kind: 'text' as const, body: 'ping' }],
    };
    const saved = valueOf(await service.save(saveArg(input, 1)));
    expect(saved).toMatchObject({ revision: 2, proxy: { url: 'http://new-proxy.corp:3128', password: { set: true } }, tls: { passphrase: { set: true } } });
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toMatchObject({ version: 2, revision: 1 });
    expect(fs.readFileSync(path.join(temp.dir, 'profiles.json.v1.bak'), 'utf8')).toBe(original);
    const { options } = valueOf(await service.connection(legacy.id));
    expect(options.headers).toContainEqual({ name: 'Authorization', value: 'Bearer legacy-token', secret: true });
    expect(options.proxyAuth).toEqual({ username: 'carol', password: 'legacy-proxy-pw' });
  });

  it('reports a newer version instead of reading it', () => {
    expect(readStoredDocument({ version: 9, profiles: [] })).toEqual({ kind: 'newer', version: 9 });
  });
});

describe('migration v1 → v2 (export files)', () => {
  it('imports a version-1 export with clear-text secrets', () => {
    const doc = v1Document((text) => text);
    const file = { format: 'tunnelscope-profiles', version: 1, profiles: doc.profiles };
    const parsed = parseImportText(JSON.stringify(file));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    expect(parsed.containsSecrets).toBe(true);
    expect(parsed.profiles[0]).toMatchObject({
      name: 'Legacy gateway',
      proxy: { mode: 'manual', url: 'http://old-proxy.corp:8080', username: 'carol', password: 'legacy-proxy-pw' },
      tls: { passphrase: 'legacy-passphrase' },
      headers: [expect.objectContaining({ name: 'X-Team' }), expect.objectContaining({ name: 'Authorization', value: 'Bearer legacy-token' })],
    });
  });
});
