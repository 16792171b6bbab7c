/**
 * The Decode choice and log files in the app: an export sends the session's Decode choice (the
 * schema by name) for the file to record, and an import whose file recorded one opens its tab
 * with it (the engine told, the tab's Decode showing it, still changeable). A file without one
 * opens on Auto as before.
 */
import { describe, expect, it } from 'vitest';
import { commandSchemas } from '../../../src-main/shared/commands';
import type { LoggedDecode } from '../../../src-main/shared/log-decode';
import { useDecodingStore } from '../../../src-renderer/src/stores/decoding-store';
import { useLogFilesStore } from '../../../src-renderer/src/stores/log-files-store';
import { connectedTab, createFixture, settle, type Fixture } from '../components/store-fixture';

function answerImport(fx: Fixture, decode: LoggedDecode | undefined): void {
  fx.fake.answer('frames:import', (raw) => {
    const arg = commandSchemas['frames:import'].arg.parse(raw);
    fx.fake.emit({ type: 'session-created', sessionId: 'imp1', url: 'wss://echo.test/feed', at: 1, readOnly: true, name: arg.name });
    return { ok: true, value: { sessionId: 'imp1', format: 'ndjson', frames: 1, notes: [], ...(decode ? { decode } : {}) } };
  });
}

function decodingCalls(fx: Fixture): unknown[] {
  return fx.fake.calls.filter((c) => c.name === 'session:decoding').map((c) => c.arg);
}

describe('log files and the Decode choice', () => {
  it('an import opens its tab with the choice the file recorded', async () => {
    const fx = createFixture();
    answerImport(fx, { choice: 'msgpack' });
    const logFiles = useLogFilesStore();
    expect(await logFiles.importFile({ name: 'mp.ndjson', text: () => Promise.resolve('x') })).toBe('imp1');
    await settle(4);
    const tab = fx.store.tabs.find((t) => t.sessionId === 'imp1');
    if (!tab) throw new Error('no tab');
    expect(useDecodingStore().choiceOf(tab.id)).toBe('msgpack');
    expect(decodingCalls(fx)).toContainEqual({ sessionId: 'imp1', choice: 'msgpack' });
  });

  it('Protocol Buffers recorded without its schema: the tab decodes as protobuf (schema-less until one is chosen)', async () => {
    const fx = createFixture();
    answerImport(fx, { choice: 'protobuf', protobuf: { schema: 'chat.proto', type: 'chat.Msg' } });
    await useLogFilesStore().importFile({ name: 'chat.ndjson', text: () => Promise.resolve('x') });
    await settle(4);
    const tab = fx.store.tabs.find((t) => t.sessionId === 'imp1');
    expect(tab && useDecodingStore().choiceOf(tab.id)).toBe('protobuf');
    expect(decodingCalls(fx)).toContainEqual({ sessionId: 'imp1', choice: 'protobuf' });
  });

  it('a file without a choice opens on Auto, and the engine is not told one', async () => {
    const fx = createFixture();
    answerImport(fx, undefined);
    await useLogFilesStore().importFile({ name: 'old.ndjson', text: () => Promise.resolve('x') });
    await settle(4);
    const tab = fx.store.tabs.find((t) => t.sessionId === 'imp1');
    expect(tab && useDecodingStore().choiceOf(tab.id)).toBe('auto');
    expect(decodingCalls(fx).some((arg) => typeof arg === 'object' && arg !== null && 'choice' in arg)).toBe(false);
  });

  it("an export sends the session's Decode choice, a Protocol Buffers schema by name only", async () => {
    const fx = createFixture();
    const tab = await connectedTab(fx);
    fx.fake.answer('session:decoding', () => ({
      ok: true,
      value: { choice: 'protobuf', active: { protocol: 'protobuf', title: 'Protocol Buffers', guess: false, reason: 'chosen' }, available: [], protobuf: { name: 'chat.proto', type: 'chat.Msg', types: ['chat.Msg'] } },
    }));
    await useDecodingStore().refresh(tab.sessionId);
    await useLogFilesStore().exportLog(tab.sessionId, 'ndjson');
    const call = fx.fake.calls.find((c) => c.name === 'frames:export');
    expect(call?.arg).toEqual({ sessionId: tab.sessionId, format: 'ndjson', decode: { choice: 'protobuf', protobuf: { schema: 'chat.proto', type: 'chat.Msg' } } });
  });
});
