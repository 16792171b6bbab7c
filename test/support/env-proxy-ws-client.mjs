// A Node `ws` client as an application would run behind a proxy: the proxy from HTTPS_PROXY (a
// proxy agent, as README's recipe), the intercept CA from NODE_EXTRA_CA_CERTS (no `ca` option).
// Driven over stdin, one JSON command per line: {"send": "text"} | {"sendHex": "cafe"} |
// {"close": [code, "reason"]}. Reports on stdout, one JSON line each: {"open": true},
// {"message": "…", "binary": false} (binary as hex), {"closed": code, "reason": "…"}, {"error": "…"}.
import readline from 'node:readline';
import WebSocket from 'ws';
import { HttpsProxyAgent } from 'https-proxy-agent';

const proxy = process.env.HTTPS_PROXY;
const target = process.argv[2];
if (!proxy || !target) {
  console.log(JSON.stringify({ error: 'usage: HTTPS_PROXY=… NODE_EXTRA_CA_CERTS=… node env-proxy-ws-client.mjs wss://…' }));
  process.exit(2);
}
const report = (value) => process.stdout.write(`${JSON.stringify(value)}\n`);
const ws = new WebSocket(target, { agent: new HttpsProxyAgent(proxy) });
ws.on('open', () => report({ open: true }));
ws.on('message', (data, isBinary) => report({ message: isBinary ? Buffer.from(data).toString('hex') : String(data), binary: isBinary }));
ws.on('close', (code, reason) => {
  report({ closed: code, reason: String(reason) });
  process.exit(0);
});
ws.on('error', (error) => report({ error: error.message }));
readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const command = JSON.parse(line);
  if (command.send !== undefined) ws.send(command.send);
  else if (command.sendHex !== undefined) ws.send(Buffer.from(command.sendHex, 'hex'));
  else if (command.close !== undefined) ws.close(command.close[0], command.close[1]);
});
