/**
 * Environments in profile exports and imports: carried with every export, a secret variable's
 * value left out unless secrets are asked for, imported all or nothing with the profiles (a
 * taken name gets " (imported)", a secret encrypted again), bad entries named by place.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../src-main/core/engine';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { errorOf, makeTempDir, valueOf } from './profile-fixtures';

const SECRET = 'env-SECRET-0c41aa';
const temps: ReturnType<typeof makeTempDir>[] = [];
const engines: Engine[] = [];

afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.dispose();
  for (const temp of temps.splice(0)) temp.cleanup();
});

function newEngine(): Engine {
  const temp = makeTempDir();
  temps.push(temp);
  const engine = new Engine({ host: 'cli', version: '1', env: {}, profiles: { dataDir: temp.dir, cipher: KeyFileCipher.open(temp.dir) } });
  engines.push(engine);
  return engine;
}

async function withStaging(engine: Engine): Promise<void> {
  valueOf(
    await engine.call('environments:save', {
      environment: { name: 'Staging', variables: [{ name: 'host', secret: false, value: 'staging.example' }, { name: 'token', secret: true, value: { value: SECRET } }] },
    }),
  );
  valueOf(await engine.call('profiles:save', { profile: { name: 'API', url: 'wss://{{host}}/ws', proxy: { mode: 'none' }, tls: {} } }));
}

describe('environments in exports and imports', () => {
  it('an export carries the environments, the secret variable left out unless asked for', async () => {
    const engine = newEngine();
    await withStaging(engine);
    const plain = valueOf(await engine.call('profiles:export', {}));
    expect(plain.containsSecrets).toBe(false);
    expect(plain.text).not.toContain(SECRET);
    expect(JSON.parse(plain.text)).toMatchObject({
      profiles: [{ name: 'API', url: 'wss://{{host}}/ws' }],
      environments: [{ name: 'Staging', variables: [{ name: 'host', secret: false, value: 'staging.example' }, { name: 'token', secret: true }] }],
    });
    expect(plain.warnings).toEqual(['1 secret(s) were left out of the export; enter them again after importing.']);
    const withSecrets = valueOf(await engine.call('profiles:export', { includeSecrets: true }));
    expect(withSecrets.containsSecrets).toBe(true);
    expect(JSON.parse(withSecrets.text)).toMatchObject({ environments: [{ variables: [{}, { name: 'token', secret: true, value: SECRET }] }] });
  });

  it('an import brings them in, renames a taken name, encrypts the secret again, and leaves an absent secret unset', async () => {
    const source = newEngine();
    await withStaging(source);
    const withSecrets = valueOf(await source.call('profiles:export', { includeSecrets: true })).text;
    const without = valueOf(await source.call('profiles:export', {})).text;

    const target = newEngine();
    valueOf(await target.call('environments:save', { environment: { name: 'Staging', variables: [] } }));
    const result = valueOf(await target.call('profiles:import', { text: withSecrets }));
    expect(result.environments?.map((e) => e.name)).toEqual(['Staging (imported)']);
    expect(result.warnings).toContain('Environment "Staging" was imported as "Staging (imported)": an environment with that name already exists.');
    const second = valueOf(await target.call('profiles:import', { text: without }));
    expect(second.environments?.map((e) => e.name)).toEqual(['Staging (imported 2)']);
    const listed = valueOf(await target.call('environments:list', {})).environments;
    expect(listed.map((e) => [e.name, e.variables.find((v) => v.name === 'token')?.value])).toEqual([
      ['Staging', undefined],
      ['Staging (imported)', { set: true }],
      ['Staging (imported 2)', { set: false }],
    ]);
    expect(JSON.stringify(listed)).not.toContain(SECRET);
  });

  it('a file with only environments imports them; a bad one is refused whole, naming the place', async () => {
    const engine = newEngine();
    const only = JSON.stringify({ format: 'tunnelscope-profiles', version: 2, profiles: [], environments: [{ name: 'Dev', variables: [{ name: 'host', secret: false, value: 'localhost:8080' }] }] });
    expect(valueOf(await engine.call('profiles:import', { text: only }))).toMatchObject({ imported: [], environments: [{ name: 'Dev' }] });
    const bad = JSON.stringify({
      format: 'tunnelscope-profiles',
      version: 2,
      profiles: [{ name: 'P', url: 'wss://a.example/', proxy: { mode: 'none' }, tls: {} }],
      environments: [{ name: 'X', variables: [{ name: 'has space', secret: false, value: '1' }] }],
    });
    const refused = valueOf(await engine.call('profiles:import', { text: bad }));
    expect(refused.imported).toEqual([]);
    expect(refused.problems).toHaveLength(1);
    expect(refused.problems[0]?.path).toBe('environments[0].variables[0].name');
    expect(valueOf(await engine.call('profiles:list', {})).profiles).toEqual([]);
    expect(errorOf(await engine.invoke('environments:delete', { id: 'gone' }))).toMatchObject({ code: 'NOT_FOUND' });
  });
});
