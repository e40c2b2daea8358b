// The WebSocket reference for bench:ws part (b): a bare `ws` server fed by the same Redis channel
// as the service, doing only what a fan-out cannot avoid — parse the bus message, frame each
// event once (the gateway's envelope and framing) and write that buffer to every subscriber's
// socket, corked until the next tick (the gateway's CorkBatch). No authentication, protocol,
// replay seam, queue or metrics: what it measures is what this machine gives any Node fan-out
// through Redis, in the same run.
// Usage: fork with argv [redisUrl, channel]; it sends {port} once listening.
import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
// The gateway's own envelope, framing and per-tick corking, from the production build.
import { liveEnvelope } from '../dist/src/modules/gateway/gateway.protocol.js';
import { CorkBatch, textFrame } from '../dist/src/modules/gateway/prepared-frame.js';

const [redisUrl, channel] = process.argv.slice(2);
const cork = new CorkBatch();
const redis = new Redis(redisUrl);
await redis.subscribe(channel);
const subscribers = [];
const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
wss.on('connection', (ws) => {
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString());
    if (message.type !== 'subscribe') return;
    subscribers.push(ws._socket);
    ws.send(JSON.stringify({ type: 'ack', op: 'subscribe', debate_id: message.debate_id }));
  });
});
wss.on('listening', () => process.send({ port: wss.address().port }));

redis.on('message', (_channel, text) => {
  for (const e of JSON.parse(text).events) {
    const frame = textFrame(liveEnvelope(e));
    for (const socket of subscribers) cork.write(socket, frame);
  }
});

process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate();
  wss.close();
  void redis.quit().finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
