/**
 * Export and import files: secrets left out unless asked for; every problem of a bad import
 * reported with its place, and nothing imported half-way.
 */
import { describe, expect, it } from 'vitest';
import { exportProfiles, MAX_IMPORT_BYTES, parseImportText } from '../../../src-main/core/profiles/profile-transfer';
import type { StoredProfile } from '../../../src-main/core/profiles/profile-schema';
import { SecretError } from '../../../src-main/core/secrets/secret-store';

/** A stand-in cipher: the "envelope" holds the text reversed. */
const fakeEnvelope = (text: string) => ({ enc: 'keyfile' as const, data: Buffer.from([...text].reverse().join('')).toString('base64') });
const fakeDecrypt = (envelope: { data: string }): string => [...Buffer.from(envelope.data, 'base64').toString()].reverse().join('');

function stored(name: string): StoredProfile {
  return {
    id: `id-${name}`,
    revision: 3,
    createdAt: 1,
    updatedAt: 2,
    name,
    url: 'wss://a.example/',
    headers: [
      { id: 'h1', name: 'Authorization', secret: true, value: fakeEnvelope('Bearer top-secret') },
      { id: 'h2', name: 'X-Plain', secret: false, value: 'visible' },
    ],
    subprotocols: [],
    proxy: { mode: 'manual', url: 'http://p:3128', username: 'u', password: fakeEnvelope('proxy-pass'), caFiles: [] },
    tls: { caFiles: [], insecure: false, passphrase: fakeEnvelope('key-pass') },
    handshakeTimeoutMs: 10_000,
    history: { maxFrames: 5000, maxBytes: 8 * 1024 * 1024 },
    savedMessages: [{ id: 'm1', name: 'hi', kind: 'text', body: 'hi' }],
  };
}

describe('export', () => {
  it('leaves secrets out by default and says so', () => {
    const out = exportProfiles([stored('A')], { includeSecrets: false, decrypt: fakeDecrypt, now: 0 });
    expect(out).toMatchObject({ count: 1, containsSecrets: false });
    for (const secret of ['top-secret', 'proxy-pass', 'key-pass']) expect(out.text).not.toContain(secret);
    expect(out.warnings).toEqual(['3 secret(s) were left out of the export; enter them again after importing.']);
    const file: unknown = JSON.parse(out.text);
    expect(file).toMatchObject({ format: 'tunnelscope-profiles', version: 2, containsSecrets: false, profiles: [{ name: 'A', headers: [{ name: 'Authorization', secret: true }, { value: 'visible' }] }] });
    expect(out.text).not.toContain('"id"');
    // The history setting goes with the profile, and comes back in on import.
    expect(file).toMatchObject({ profiles: [{ history: { maxFrames: 5000, maxBytes: 8 * 1024 * 1024 } }] });
    const parsed = parseImportText(out.text);
    expect(parsed.ok && parsed.profiles[0]?.history).toEqual({ maxFrames: 5000, maxBytes: 8 * 1024 * 1024 });
  });

  it('includes them only when asked, with the warning first; one that cannot be decrypted is left out and named', () => {
    const broken = stored('B');
    broken.tls.passphrase = { enc: 'keyring', data: 'AAAA' };
    const out = exportProfiles([stored('A'), broken], {
      includeSecrets: true,
      decrypt: (envelope) => {
        if (envelope.enc !== 'keyfile') throw new SecretError('the OS keyring is not available');
        return fakeDecrypt(envelope);
      },
      now: 0,
    });
    expect(out.containsSecrets).toBe(true);
    expect(out.warnings[0]).toContain('clear text');
    expect(out.warnings[1]).toBe('The client key passphrase of "B" could not be decrypted and was left out (the OS keyring is not available).');
    expect(out.text).toContain('top-secret');
    // The export reads back as an import.
    const back = parseImportText(out.text);
    expect(back.ok).toBe(true);
  });
});

describe('import of bad files', () => {
  const good = () => exportProfiles([stored('A')], { includeSecrets: false, decrypt: fakeDecrypt, now: 0 }).text;

  it.each([
    ['wrong JSON', '{\n  "format": "tunnelscope-profiles",\n  "version": 2\n  "profiles": []\n}', [{ path: '', line: 4, column: 3 }], "expected ',' or '}'"],
    ['an empty file', '  \n', [{ path: '' }], 'the file is empty'],
    ['a JSON list', '[]', [{ path: '' }], 'does not hold a JSON object'],
    ['an unknown version', '{"format": "tunnelscope-profiles", "version": 3, "profiles": []}', [{ path: 'version' }], 'made by a newer Tunnelscope (format 3'],
    ['a data file instead of an export', '{"version": 2, "revision": 4, "profiles": []}', [{ path: '' }], 'profiles.json data file'],
    ['no format and no list', '{"version": 2}', [{ path: 'format' }, { path: 'profiles' }], 'not a Tunnelscope profile export'],
    ['an empty list', '{"format": "tunnelscope-profiles", "version": 2, "profiles": []}', [{ path: 'profiles' }], 'nothing to import'],
  ])('%s', (_label, text, places, words) => {
    const parsed = parseImportText(text);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.problems).toEqual(places.map((place) => expect.objectContaining(place)));
    expect(parsed.problems[0]?.message).toContain(words);
  });

  it('reports every schema problem of every profile with its place', () => {
    const file = {
      format: 'tunnelscope-profiles',
      version: 2,
      profiles: [
        JSON.parse(good()).profiles[0],
        { name: 'bad url', url: 'http://x/', proxy: { mode: 'none' }, tls: {} },
        { name: 'bad proxy', url: 'ws://x/', proxy: { mode: 'manual', url: 'gopher://p:70' }, tls: {} },
        { name: '', url: 'ws://x/', proxy: { mode: 'sideways' }, tls: { certFile: '/c' }, handshakeTimeoutMs: -1, savedMessages: [{ name: 'b', kind: 'binary', body: '!!' }] },
        { url: 'ws://x/', headers: [{ name: 'Bad Name', secret: false, value: 'v' }], proxy: { mode: 'none' }, tls: {} },
      ],
    };
    const parsed = parseImportText(JSON.stringify(file));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const places = parsed.problems.map((p) => p.path);
    expect(places).toEqual([
      'profiles[1].url',
      'profiles[2].proxy.url',
      'profiles[3].name',
      'profiles[3].proxy.mode',
      'profiles[3].tls.keyFile',
      'profiles[3].handshakeTimeoutMs',
      'profiles[3].savedMessages[0].body',
      'profiles[4].name',
      'profiles[4].headers[0].name',
    ]);
    const byPlace = new Map(parsed.problems.map((p) => [p.path, p.message]));
    expect(byPlace.get('profiles[2].proxy.url')).toContain('gopher:// is not a proxy scheme');
    expect(byPlace.get('profiles[3].proxy.mode')).toContain('must be one of "auto"');
    expect(byPlace.get('profiles[4].name')).toBe('is missing (expected a string)');
  });

  it('refuses a file over 5 MiB before parsing it, saying its size in MiB', () => {
    const big = `{"format": "tunnelscope-profiles", "version": 2, "profiles": [], "pad": "${'x'.repeat(MAX_IMPORT_BYTES)}"}`;
    const parsed = parseImportText(big);
    const bytes = Buffer.byteLength(big);
    expect(parsed).toEqual({ ok: false, problems: [{ path: '', message: `the file is 5.0 MiB (${bytes} bytes); the largest import accepted is 5.0 MiB` }] });
  });
});
