// The runner of the settings tools: output, the exit status with the tool's first line of stderr, a missing program, the deadline.
import { describe, expect, it } from 'vitest';
import { commandRunner } from '../../../../src-main/core/proxy/system/run-command';
import { SystemSettingsError } from '../../../../src-main/core/proxy/system/system-settings';

const node = process.execPath;

describe('commandRunner', () => {
  it('returns standard output, with only the given environment', async () => {
    const run = commandRunner({ ONLY: 'this', SKIPPED: undefined });
    expect(await run(node, ['-e', 'process.stdout.write(JSON.stringify(Object.keys(process.env).filter((k) => k === "ONLY" || k === "SKIPPED")))'])).toBe('["ONLY"]');
  });

  it('names the command, its exit status and the first line it wrote to stderr', async () => {
    const run = commandRunner({});
    const error = await run(node, ['-e', 'process.stderr.write("No such schema “x”\\nmore\\n"); process.exit(1)']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(SystemSettingsError);
    expect(error instanceof Error ? error.message : '').toMatch(/` exited with status 1: No such schema “x”$/);
  });

  it('says when the program is not installed', async () => {
    await expect(commandRunner({})('tunnelscope-no-such-tool', ['get'])).rejects.toThrow('`tunnelscope-no-such-tool get` could not be run: the program is not installed');
  });

  it('stops a tool that does not answer by its deadline (execFile kills the child by its pid)', async () => {
    const run = commandRunner({}, 200);
    await expect(run(node, ['-e', 'setTimeout(() => {}, 60000)'])).rejects.toThrow(/did not answer within 200 ms$/);
  });
});
