import { describe, expect, it } from 'vitest';
import { caTrustSteps } from '../../../src-renderer/src/util/ca-trust-steps';

describe('the CA trust steps', () => {
  it('cover Windows, macOS, Linux/NSS, Firefox and Node, the page’s own system first', () => {
    expect(caTrustSteps('tunnelscope-ca.pem', 'http://127.0.0.1:8899', 'darwin').map((s) => s.id)).toEqual(['macos', 'windows', 'linux', 'firefox', 'node']);
    expect(caTrustSteps('tunnelscope-ca.pem', 'http://127.0.0.1:8899', 'win32')[0]?.id).toBe('windows');
    expect(caTrustSteps('tunnelscope-ca.pem', 'http://127.0.0.1:8899', null).map((s) => s.id)).toEqual(['windows', 'macos', 'linux', 'firefox', 'node']);
  });

  it('name the file (quoted when it has spaces) and the proxy address in the commands', () => {
    const steps = caTrustSteps('/home/a b/ca.pem', 'http://127.0.0.1:9000', 'linux');
    const commands = Object.fromEntries(steps.map((s) => [s.id, s.commands]));
    expect(commands['windows']).toEqual(['certutil -user -addstore Root "/home/a b/ca.pem"']);
    expect(commands['linux']?.[0]).toBe('certutil -d sql:$HOME/.pki/nssdb -A -t "C,," -n "Tunnelscope intercept CA" -i "/home/a b/ca.pem"');
    expect(commands['node']).toEqual(['NODE_EXTRA_CA_CERTS="/home/a b/ca.pem" HTTPS_PROXY=http://127.0.0.1:9000 HTTP_PROXY=http://127.0.0.1:9000 node app.js']);
    expect(commands['firefox']).toEqual(['http://127.0.0.1:9000']);
    // Firefox leaves localhost out of any proxy unless told (README's Firefox recipe, tested in firefox-client.test.ts).
    expect(caTrustSteps('tunnelscope-ca.pem', 'http://127.0.0.1:9000', 'linux').find((s) => s.id === 'firefox')?.text).toContain('network.proxy.allow_hijacking_localhost');
  });
});
