import { mkdtempSync } from 'node:fs';
import { startService, createKeys } from './bench/lib/service.mjs';
const TOKEN = 'bench-operator-token-0123456789';
const s = await startService({ ARAGORA_ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn', ARAGORA_DATA_DIR: mkdtempSync('/tmp/fz-') });
const keys = await createKeys(s.baseUrl, TOKEN, ['internal']);
const h = { authorization: `Bearer ${keys.internal}`, 'content-type': 'application/json' };
const d = await (await fetch(s.baseUrl + '/api/v1/debates', { method: 'POST', headers: h, body: JSON.stringify({ topic: 'integer range probing', agents: ['demo', 'demo'], rounds: 1 }) })).json();
for (const path of [`/api/v1/debates/${d.id}/events?after_seq=2147483648`, `/api/v1/debates/${d.id}/events?after_seq=99999999999999999999`, `/api/v1/debates/${d.id}/events?limit=2147483648`, `/api/v1/debates?limit=2147483648`, `/api/v1/debates?offset=2147483648`, `/api/v1/leaderboard?limit=2147483648`, `/api/v1/debates/${d.id}/fork`]) {
  const r = await fetch(s.baseUrl + path, { method: path.endsWith('fork') ? 'POST' : 'GET', headers: h, body: path.endsWith('fork') ? JSON.stringify({ from_round: 2147483648 }) : undefined });
  console.log(r.status, path.replace(d.id, '{id}'), (await r.text()).slice(0, 160));
}
for (const body of [{ choice: 'demo', intensity: 2147483648 }, { topic: 'integer range probing', agents: ['demo', 'demo'], rounds: 2147483648 }]) {
  const r = await fetch(s.baseUrl + (body.choice ? `/api/v1/debates/${d.id}/votes` : '/api/v1/debates'), { method: 'POST', headers: h, body: JSON.stringify(body) });
  console.log(r.status, JSON.stringify(body).slice(0, 60), (await r.text()).slice(0, 160));
}
await s.stop();
