import { describe, expect, it, vi } from 'vitest';
import { BUILTIN_NAMES, parseBuiltins, renderBuiltins, type BuiltinSources, type BuiltinTemplate } from '../../../src-main/shared/builtin-variables';

const sources: BuiltinSources = {
  now: () => Date.UTC(2026, 0, 2, 3, 4, 5, 678),
  random: () => 0.5,
  uuid: () => '123e4567-e89b-42d3-a456-426614174000',
};

function template(body: string): BuiltinTemplate {
  const parsed = parseBuiltins(body);
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.template;
}

describe('built-in variables', () => {
  it('renders each built-in in its format', () => {
    const t = template('{{$timestamp}}|{{$isoTimestamp}}|{{$uuid}}|{{$randomInt}}|{{$counter}}');
    expect(renderBuiltins(t, 7, sources)).toBe('1767323045|2026-01-02T03:04:05.678Z|123e4567-e89b-42d3-a456-426614174000|500|7');
  });

  it('keeps $randomInt within 0..1000', () => {
    const t = template('{{$randomInt}}');
    expect(renderBuiltins(t, 1, { ...sources, random: () => 0 })).toBe('0');
    expect(renderBuiltins(t, 1, { ...sources, random: () => 0.999999 })).toBe('1000');
  });

  it('renders anew at each send, with the text around kept', () => {
    const t = template('{"n": {{$counter}}, "id": "{{ $uuid }}"}');
    let id = 0;
    const counting: BuiltinSources = { ...sources, uuid: () => `id-${++id}` };
    expect(renderBuiltins(t, 1, counting)).toBe('{"n": 1, "id": "id-1"}');
    expect(renderBuiltins(t, 2, counting)).toBe('{"n": 2, "id": "id-2"}');
  });

  it('gives real values by default: a v4 UUID, a timestamp of the clock now', () => {
    // Fake time: the default source reads the clock, so the timestamp is exactly this second.
    vi.useFakeTimers({ now: Date.UTC(2026, 11, 4, 23, 0, 0, 999) });
    try {
      const t = template('{{$uuid}} {{$timestamp}}');
      const [uuid, seconds] = renderBuiltins(t, 1).split(' ');
      expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(seconds).toBe(String(Date.UTC(2026, 11, 4, 23, 0, 0) / 1000));
    } finally {
      vi.useRealTimers();
    }
  });

  it('says whether a body has any built-in, and leaves user variables {{name}} untouched', () => {
    expect(template('plain {{name}} {{ $ }}').dynamic).toBe(false);
    expect(renderBuiltins(template('plain {{name}}'), 1, sources)).toBe('plain {{name}}');
    expect(template('{{$counter}}').dynamic).toBe(true);
    expect(renderBuiltins(template(''), 1, sources)).toBe('');
  });

  it('refuses an unknown built-in, naming it, where it is, and the known ones', () => {
    const parsed = parseBuiltins('ok {{$counter}} then {{$timestamp}} {{$uuidd}}');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.name).toBe('uuidd');
    expect(parsed.index).toBe(36);
    expect(parsed.error).toContain('unknown built-in {{$uuidd}} at character 37');
    for (const name of BUILTIN_NAMES) expect(parsed.error).toContain(`{{$${name}}}`);
  });
});
