/**
 * `tunnelscope profiles import <file>` refuses a file over the engine's import limit before
 * reading it, and names the limit the engine applies.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseCommandLine } from '../../../src-main/cli/parse-args';
import { runProfiles } from '../../../src-main/cli/profiles-command';
import type { ProfilesCommand } from '../../../src-main/cli/profiles-args';
import type { EngineApi } from '../../../src-main/cli/cli-io';
import { MAX_IMPORT_BYTES } from '../../../src-main/core/profiles/profile-transfer';
import { fakeIo } from './fake-engine';
import { makeTempDir } from '../profiles/profile-fixtures';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir('tunnelscope-cli-import-limit-');
});
afterEach(() => temp.cleanup());

describe('profiles import over the limit', () => {
  it('is refused before the engine sees it, naming the limit', async () => {
    const file = path.join(temp.dir, 'big.json');
    fs.writeFileSync(file, Buffer.alloc(MAX_IMPORT_BYTES + 1, 0x20));
    const engine = { call: () => Promise.reject(new Error('the engine must not be called')) } as unknown as EngineApi;
    const io = fakeIo();
    const code = await runProfiles(parseCommandLine(['profiles', 'import', file]) as ProfilesCommand, engine, io);
    expect(code).not.toBe(0);
    expect(io.stderrText()).toContain('the file is 5.0 MiB; the largest import accepted is 5 MiB');
  });
});
