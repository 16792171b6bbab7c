// The engine's heap growth policy: set once per process, and what it does to V8's full
// collections when external memory grows (a child process, as the engine's growth is).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { HEAP_GROWING_PERCENT, applyHeapGrowthPolicy } from '../../../src-main/core/session/heap-growth';

const MODULE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../src-main/core/session/heap-growth.ts');

/**
 * A child with a ~20 MB heap that keeps 1 MiB slabs (as a growing frame store does) and makes
 * two short-lived 16 KiB buffers per message it stores both ways (as socket reads do): 375 MB
 * kept in all. Prints its major GC count.
 */
function majorCollections(withPolicy: boolean): number {
  const script = `
    import { PerformanceObserver, constants } from 'node:perf_hooks';
    import { applyHeapGrowthPolicy } from ${JSON.stringify(MODULE)};
    if (${String(withPolicy)}) applyHeapGrowthPolicy();
    const live = Array.from({ length: 150000 }, (_, i) => ({ i, s: 'x' + i, a: [i, i + 1] }));
    let majors = 0;
    new PerformanceObserver((list) => { for (const entry of list.getEntries()) if (entry.detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++; }).observe({ entryTypes: ['gc'] });
    const kept = [];
    let slab = Buffer.allocUnsafeSlow(1 << 20);
    let offset = 0;
    const payload = Buffer.alloc(16384, 0x78);
    for (let message = 0; message < 12000; message++) {
      Buffer.allocUnsafeSlow(16384)[0] = 1;
      Buffer.allocUnsafeSlow(16384)[0] = 2;
      for (let copy = 0; copy < 2; copy++) {
        if (offset + payload.length > slab.length) { kept.push(slab); slab = Buffer.allocUnsafeSlow(1 << 20); offset = 0; }
        slab.set(payload, offset);
        offset += payload.length;
      }
      if (message % 16 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    setTimeout(() => process.stdout.write(JSON.stringify({ majors, live: live.length, kept: kept.length })), 50);
  `;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 120_000 });
  if (child.status !== 0) throw new Error(`the child failed (${String(child.status)}): ${child.stderr}`);
  const result = JSON.parse(child.stdout) as { majors: number; kept: number };
  expect(result.kept).toBe(374);
  return result.majors;
}

describe('heap growth policy', () => {
  it('sets V8 heap growing factor once per process', () => {
    const set: string[] = [];
    expect(applyHeapGrowthPolicy((flags) => set.push(flags))).toBe(true);
    expect(applyHeapGrowthPolicy((flags) => set.push(flags))).toBe(false);
    expect(set).toEqual([`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
  });

  it('makes fewer full collections while external memory grows than V8 chooses by itself', { timeout: 240_000 }, () => {
    const without = majorCollections(false);
    const withPolicy = majorCollections(true);
    expect(without).toBeGreaterThan(0);
    expect(withPolicy).toBeLessThan(without);
  });
});
