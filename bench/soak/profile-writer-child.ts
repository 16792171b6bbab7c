/**
 * A process that saves one profile over and over in `<dataDir>` until it is killed, printing
 * the revision after each save. The soak kills it with SIGKILL at random moments.
 */
import { ProfileService } from '../../src-main/core/profiles/profile-service';
import { KeyFileCipher } from '../../src-main/core/secrets/keyfile-cipher';
import { profileCommandSchemas, profileInputFromView } from '../../src-main/shared/profiles';

const dataDir = process.argv[2] ?? '';

async function main(): Promise<void> {
  const service = new ProfileService({ dataDir, cipher: KeyFileCipher.open(dataDir), lock: { timeoutMs: 60_000 } });
  const listed = await service.list();
  if (!listed.ok) throw new Error(`list failed: ${listed.error.message}`);
  const existing = listed.value.profiles[0];
  let current = existing
    ? await service.get(existing.id)
    : await service.save(profileCommandSchemas['profiles:save'].arg.parse({ profile: { name: 'Soak', url: 'ws://127.0.0.1:9/', proxy: { mode: 'manual', url: 'http://127.0.0.1:9', username: 'soak', password: { value: 'soak-secret' } }, tls: {} } }));
  for (let i = 0; ; i++) {
    if (!current.ok) throw new Error(`save failed: ${current.error.message}`);
    process.stdout.write(`${current.value.revision}\n`);
    const input = profileInputFromView(current.value);
    current = await service.save(profileCommandSchemas['profiles:save'].arg.parse({ profile: { ...input, url: `ws://127.0.0.1:9/${i}` }, expectedRevision: current.value.revision }));
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
