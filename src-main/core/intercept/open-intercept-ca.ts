/**
 * The intercept CA for a host (CLI, web host): its key sealed by the same cipher the host's
 * profiles use (the OS keyring, else the key file; TUNNELSCOPE_SECRET_STORE=keyfile skips the
 * keyring), so the key is as well protected as a saved proxy password.
 */
import { openDefaultCipher } from '../secrets/default-cipher';
import { loadOrCreateInterceptCa, type InterceptCa } from './intercept-ca';

export async function openInterceptCa(dataDir: string, env: Readonly<Record<string, string | undefined>>): Promise<InterceptCa> {
  const cipher = await openDefaultCipher(dataDir, { env });
  return loadOrCreateInterceptCa({ dataDir, cipher });
}
