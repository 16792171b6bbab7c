// QA L3 in the app: Import log… with a file that is not UTF-8 says so, with the byte and its
// offset, and asks the engine nothing.
import { describe, expect, it } from 'vitest';
import { useLogFilesStore } from '../../../src-renderer/src/stores/log-files-store';
import { createFixture } from '../components/store-fixture';

/** The text as UTF-16LE bytes, its byte order mark first. */
function utf16le(text: string): Uint8Array {
  const out = new Uint8Array(text.length * 2 + 2);
  out.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    out[2 + i * 2] = unit & 0xff;
    out[3 + i * 2] = unit >> 8;
  }
  return out;
}

function picked(name: string, content: Uint8Array) {
  return { name, text: () => Promise.resolve(new TextDecoder().decode(content)), arrayBuffer: () => Promise.resolve(Uint8Array.from(content).buffer) };
}

describe('Import log… with a file that is not UTF-8', () => {
  it('a UTF-16 file is named as such; a binary one by its first bad byte', async () => {
    const fx = createFixture();
    const logFiles = useLogFilesStore();
    expect(await logFiles.importFile(picked('log.ndjson', utf16le('{"type":"header"}\n')))).toBeNull();
    expect(logFiles.importProblems).toEqual({
      fileName: 'log.ndjson',
      title: 'the file is UTF-16 text (little-endian: it starts with the byte order mark FF FE), not UTF-8: save it as UTF-8 and import it again',
      items: [],
    });
    expect(await logFiles.importFile(picked('blob.ndjson', Uint8Array.from([0x7b, 0x0a, 0x9c, 0x00])))).toBeNull();
    expect(logFiles.importProblems?.title).toBe('the file is not UTF-8 text (byte 0x9C at offset 2)');
    expect(fx.fake.calls.some((c) => c.name === 'frames:import')).toBe(false);
  });
});
