/**
 * A separate Node process working on a data folder, for the process-level tests:
 * - `crash <dataDir>`: saves a profile and kills itself (SIGKILL) right after the temp file was
 *   written and fsynced, before the rename: the moment a power cut or crash would hurt most.
 * - `hammer <dataDir> <label> <iterations> <sharedId>`: creates its own profile and updates it
 *   `iterations` times, and each time also appends a saved message to the shared profile,
 *   reloading and retrying on CONFLICT. Prints one JSON line with what it did.
 */
import fs from 'node:fs';
import { ProfileService } from '../../../src-main/core/profiles/profile-service';
import { KeyFileCipher } from '../../../src-main/core/secrets/keyfile-cipher';
import { profileCommandSchemas, profileInputFromView, type ProfileInputDraft } from '../../../src-main/shared/profiles';

const [mode, dataDir = '', label = '', iterationsText = '0', sharedId = ''] = process.argv.slice(2);

function saveArg(profile: ProfileInputDraft, expectedRevision?: number) {
  return profileCommandSchemas['profiles:save'].arg.parse(expectedRevision === undefined ? { profile } : { profile, expectedRevision });
}

async function crash(): Promise<void> {
  const service = new ProfileService({ dataDir, cipher: KeyFileCipher.open(dataDir) });
  const realRename = fs.rename;
  // write-file-atomic renames through fs.rename (looked up at call time): stop the world there.
  Object.defineProperty(fs, 'rename', {
    configurable: true,
    writable: true,
    value: (from: fs.PathLike, to: fs.PathLike, callback: fs.NoParamCallback) => {
      if (String(to).endsWith('profiles.json')) {
        process.stdout.write(`temp written: ${String(from)}\n`, () => process.kill(process.pid, 'SIGKILL'));
        return;
      }
      realRename(from, to, callback);
    },
  });
  await service.save(saveArg({ name: 'Never saved', url: 'ws://127.0.0.1:9/', proxy: { mode: 'none', password: { value: 'crash-secret' } }, tls: {} }));
  process.stdout.write('the rename happened: the crash hook did not run\n');
}

async function hammer(): Promise<void> {
  const iterations = Number(iterationsText);
  const service = new ProfileService({ dataDir, cipher: KeyFileCipher.open(dataDir), lock: { timeoutMs: 20_000 } });
  const created = await service.save(saveArg({ name: `own ${label}`, url: 'ws://127.0.0.1:9/0', proxy: { mode: 'none' }, tls: {} }));
  if (!created.ok) throw new Error(`create failed: ${created.error.message}`);
  let own = created.value;
  let conflicts = 0;
  let sharedSuccesses = 0;
  for (let i = 1; i <= iterations; i++) {
    // Own profile: nobody else touches it, so it must never conflict.
    const next = await service.save(saveArg({ ...profileInputFromView(own), url: `ws://127.0.0.1:9/${i}` }, own.revision));
    if (!next.ok) throw new Error(`own update ${i} failed: ${next.error.message}`);
    own = next.value;
    // Shared profile: the other process races us; a CONFLICT means reload and redo.
    for (;;) {
      const current = await service.get(sharedId);
      if (!current.ok) throw new Error(`shared get failed: ${current.error.message}`);
      const input = profileInputFromView(current.value);
      const messages = [...(input.savedMessages ?? []), { name: `${label}-${i}`, kind: 'text' as const, body: `${label} ${i}` }];
      const saved = await service.save(saveArg({ ...input, savedMessages: messages }, current.value.revision));
      if (saved.ok) {
        sharedSuccesses += 1;
        break;
      }
      if (!('code' in saved.error) || saved.error.code !== 'CONFLICT') throw new Error(`shared save failed: ${saved.error.message}`);
      conflicts += 1;
    }
  }
  process.stdout.write(`${JSON.stringify({ label, ownId: own.id, ownRevision: own.revision, conflicts, sharedSuccesses })}\n`);
}

const run = mode === 'crash' ? crash : mode === 'hammer' ? hammer : undefined;
if (!run) {
  process.stderr.write(`unknown mode ${String(mode)}\n`);
  process.exit(2);
}
run().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
