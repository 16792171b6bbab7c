/**
 * The fake proxy and TCP target a tunnel test starts, each closed after its test. Call once at a
 * test file's top level; `cleanups` takes anything else the test must close.
 */
import { afterEach } from 'vitest';
import { startFakeProxy, startTcpTarget, type FakeProxy, type FakeProxyContext, type FakeProxyOptions, type TcpTarget } from './fake-proxy';

export function useTunnelFixtures(): {
  cleanups: (() => Promise<void> | void)[];
  proxyServer(handler: (context: FakeProxyContext) => void, options?: FakeProxyOptions): Promise<FakeProxy>;
  tcpTarget(): Promise<TcpTarget>;
} {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return {
    cleanups,
    async proxyServer(handler, options) {
      const proxy = await startFakeProxy(handler, options);
      cleanups.push(() => proxy.close());
      return proxy;
    },
    async tcpTarget() {
      const target = await startTcpTarget();
      cleanups.push(() => target.close());
      return target;
    },
  };
}
