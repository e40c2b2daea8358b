// The reference: a bare Fastify server answering the same JSON as the app's endpoint, so the
// ratio app/bare measures what Nest, our hooks and our code cost on this machine.
import Fastify from 'fastify';

const port = Number(process.argv[2] ?? 0);
const payload = {
  status: 'healthy',
  version: '0.1.0',
  uptime_seconds: 1,
  active_debates: 0,
  websocket_connections: 0,
  database: 'connected',
  redis: 'not_configured',
};
const app = Fastify({ logger: false });
app.get('/api/v1/health', async () => ({
  ...payload,
  uptime_seconds: Math.floor(process.uptime()),
}));
const me = {
  tenant: { id: '8cef3514-31b3-42cc-8514-a057b2928a44', name: 'bench' },
  role: 'member',
  tier: 'internal',
  key_id: '76c1331d-1f49-470b-838f-4c7a9229eec3',
  rate_limit: null,
};
app.get('/api/v1/me', async () => me);
await app.listen({ port, host: '127.0.0.1' });
process.send?.({ port: app.server.address().port });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
