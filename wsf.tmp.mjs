import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import WebSocket from 'ws';
import { startService, createKeys } from './bench/lib/service.mjs';
const TOKEN = 'bench-operator-token-0123456789';
const s = await startService({ ARAGORA_ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn', ARAGORA_DATA_DIR: mkdtempSync('/tmp/fz-') }, { logFile: '/tmp/wsf.log' });
const keys = await createKeys(s.baseUrl, TOKEN, ['internal']);
const port = Number(new URL(s.baseUrl).port);
const wsUrl = `ws://127.0.0.1:${port}/ws`;
const outcome = (ws) => new Promise((res) => { const msgs = []; ws.on('message', (d) => msgs.push(String(d).slice(0, 120))); ws.on('unexpected-response', (req, r) => { let b = ''; r.on('data', (x) => (b += x)); r.on('end', () => res(`HTTP ${r.statusCode} ${r.headers['content-type']} ${b.slice(0, 160)}`)); }); ws.on('close', (c, r) => res(`close ${c} ${String(r).slice(0, 80)} msgs=${JSON.stringify(msgs.slice(0, 3))}`)); ws.on('error', (e) => {}); setTimeout(() => { ws.terminate(); res('timeout msgs=' + JSON.stringify(msgs.slice(0,3))); }, 1500); });
const cases = [
  ['token NUL', () => new WebSocket(`${wsUrl}?token=%00`)],
  ['token garbage', () => new WebSocket(`${wsUrl}?token=ara_${'x'.repeat(5000)}`)],
  ['bad percent', () => new WebSocket(`${wsUrl}?token=%zz`)],
  ['two tokens', () => new WebSocket(`${wsUrl}?token=a&token=b`)],
  ['header + query', () => new WebSocket(`${wsUrl}?token=${keys.internal}`, { headers: { authorization: 'Bearer nope' } })],
  ['subprotocol', () => new WebSocket(`${wsUrl}?token=${keys.internal}`, ['x', 'y'])],
];
for (const [n, f] of cases) console.log('==', n, await outcome(f()));
// valid connection then garbage messages
const ws = new WebSocket(`${wsUrl}?token=${keys.internal}`);
await new Promise((r) => ws.on('open', r));
const got = []; ws.on('message', (d) => got.push(String(d).slice(0, 150)));
for (const m of ['', '\u0000', '{"type":"subscribe","debate_id":"\\u0000"}', '{"type":"subscribe","debate_id":"00000000-0000-0000-0000-000000000000","after_seq":9007199254740991}', Buffer.from([0xff, 0xfe]), '{"type":"ping","id":"' + 'x'.repeat(60000) + '"}']) ws.send(m);
await new Promise((r) => setTimeout(r, 800));
console.log('== garbage msgs:', got.length, got.map((g) => g.slice(0, 110)).join('\n   '));
ws.close();
// raw upgrade with bad key / version
const raw = (req) => new Promise((res) => { const c = connect(port, '127.0.0.1', () => c.write(req)); let d = ''; c.on('data', (x) => (d += x)); c.on('close', () => res(d.slice(0, 300))); c.on('error', () => res(d)); setTimeout(() => { c.destroy(); res(d.slice(0, 300) + ' [open]'); }, 1500); });
console.log('== bad version', await raw(`GET /ws?token=${keys.internal} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: abc\r\nSec-WebSocket-Version: 99\r\n\r\n`));
console.log('== plain GET /ws', await raw(`GET /ws HTTP/1.1\r\nHost: x\r\n\r\n`));
console.log('ready', (await fetch(s.baseUrl + '/readyz')).status);
await s.stop();
console.log(readFileSync('/tmp/wsf.log', 'utf8').split('\n').filter((l) => /"level":(50|60)/.test(l)).slice(0, 5).join('\n'));
