/**
 * One web host for a whole spec file: started in `test.beforeAll`, stopped in `test.afterAll`
 * (its own data folder goes with it; `host().dataDir` is where its profiles.json is). Call at
 * the top of the spec file.
 */
import { test } from '@playwright/test';
import { startWebHostProcess, type StartOptions, type WebHostProcess } from './web-host-process';

/** Registers the hooks; the returned function gives the running host. */
export function useWebHost(options: StartOptions | (() => Promise<StartOptions>) = {}): () => WebHostProcess {
  let host: WebHostProcess | undefined;
  test.beforeAll(async () => {
    host = await startWebHostProcess(typeof options === 'function' ? await options() : options);
  });
  test.afterAll(async () => {
    await host?.stop();
  });
  return () => {
    if (!host) throw new Error('the web host is not running');
    return host;
  };
}
