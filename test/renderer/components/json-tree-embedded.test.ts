// The JSON tree shows a string that holds a JSON object or array (a STOMP body, an MQTT payload
// sent as text) as that tree, marked "JSON text", so a decoded frame's body is read as structure,
// not as one escaped line. Other strings stay strings: text that only looks like JSON, a JSON
// scalar, and a string too long to parse for display.
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import JsonTree from '../../../src-renderer/src/components/JsonTree.vue';
import { parseJson, type JsonNode } from '../../../src-renderer/src/util/json-text';

function tree(value: unknown): JsonNode {
  const parsed = parseJson(JSON.stringify(value));
  if (!parsed.ok) throw new Error(parsed.error.message);
  return parsed.value;
}

describe('JsonTree: a string holding JSON', () => {
  it('shows a STOMP body of JSON as its tree, marked as JSON text, keys in wire order and numbers as written', () => {
    const body = '{"payload":{"data":{"price":{"sym":"S7","bid":101.25,"id":12345678901234567890}}},"seq":3}';
    const wrapper = mount(JsonTree, { props: { node: tree({ command: 'MESSAGE', headers: { 'content-type': 'application/json' }, body }) } });
    const text = wrapper.text();
    expect(wrapper.findAll('.from-text')).toHaveLength(1);
    expect(wrapper.find('.from-text').text()).toBe('JSON text');
    expect(text).toContain('"payload"');
    expect(text).toContain('"sym"');
    expect(text).toContain('"S7"');
    expect(text).toContain('12345678901234567890');
    // Not the escaped one-line string any more.
    expect(text).not.toContain('\\"payload\\"');
    expect(text.indexOf('"payload"')).toBeLessThan(text.indexOf('"seq"'));
    wrapper.unmount();
  });

  it('shows an array, and the tag on the right key, with the string’s place in its parent', () => {
    const wrapper = mount(JsonTree, { props: { node: tree({ args: ['[1, 2, {"x": true}]', 'plain'] }) } });
    const tagged = wrapper.findAll('.line').filter((line) => line.find('.from-text').exists());
    expect(tagged).toHaveLength(1);
    expect(tagged[0]?.text()).toContain('0: [');
    expect(wrapper.text()).toContain('"plain"');
    wrapper.unmount();
  });

  it('leaves other strings as strings: text that only looks like JSON, a JSON scalar, a very long text', () => {
    const long = `[${'1,'.repeat(60_000)}1]`;
    for (const value of ['{not json', '42', '"quoted"', 'hello {"a":1}', long]) {
      const wrapper = mount(JsonTree, { props: { node: tree({ body: value }) } });
      expect(wrapper.find('.from-text').exists(), value.slice(0, 20)).toBe(false);
      expect(wrapper.find('.v-string').exists(), value.slice(0, 20)).toBe(true);
      wrapper.unmount();
    }
  });
});
