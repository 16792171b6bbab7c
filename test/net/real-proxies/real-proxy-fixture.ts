/**
 * The set-up both real-proxy suites share, registered inside their describe block: every proxy
 * variant started at once (whatever started is stopped afterwards, even when another failed),
 * the ws:// and wss:// echo targets, a fresh engine per test, and no unhandled rejection in any
 * test.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { Engine } from '../../../src-main/core/engine';
import { newEngine, startEchoTargets, watchUnhandled, type EchoTargets } from './session-driver';

export interface RealProxyFixture<Name extends string, Proxy> {
  /** A started variant (throws, naming it, when it did not start). */
  proxy(name: Name): Proxy;
  servers(): EchoTargets;
  /** This test's engine. */
  engine(): Engine;
}

export function useRealProxies<Name extends string, Proxy extends { stop(): Promise<void> }>(
  kind: string,
  variants: Record<Name, () => Promise<Proxy>>,
): RealProxyFixture<Name, Proxy> {
  const running = new Map<Name, Proxy>();
  let targets: EchoTargets | undefined;
  let engine: Engine | undefined;
  const unhandled = watchUnhandled();

  beforeAll(async () => {
    const entries = Object.entries(variants) as [Name, () => Promise<Proxy>][];
    const results = await Promise.allSettled(entries.map(async ([name, start]) => running.set(name, await start())));
    targets = await startEchoTargets();
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  });

  afterAll(async () => {
    await Promise.allSettled([...[...running.values()].map((proxy) => proxy.stop()), targets?.close()]);
    unhandled.stop();
  });

  beforeEach(() => {
    engine = newEngine();
  });

  afterEach(async () => {
    await engine?.dispose();
    expect(unhandled.list).toEqual([]);
  });

  return {
    proxy(name) {
      const proxy = running.get(name);
      if (!proxy) throw new Error(`${kind} "${name}" did not start`);
      return proxy;
    },
    servers() {
      if (!targets) throw new Error('echo servers did not start');
      return targets;
    },
    engine() {
      if (!engine) throw new Error('no engine outside a test');
      return engine;
    },
  };
}
