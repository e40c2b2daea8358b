// The WebSocket reference for bench:ws part (b): a bare `ws` server fed by the same Redis channel
// as the service, doing only what a fan-out cannot avoid — parse the bus message, frame each
// event once (the gateway's envelope) and write that buffer to every subscriber's socket, corked
// until the next tick. No authentication, protocol, replay seam, queue or metrics: what it
// measures is what this machine gives any Node fan-out through Redis, in the same run.
// Usage: fork with argv [redisUrl, channel]; it sends {port} once listening.
import { Redis } from 'ioredis';
import { WebSocketServer } from 'ws';
import { envelopeOf } from './lib/ws-envelope.mjs';

const [redisUrl, channel] = process.argv.slice(2);
/** An unmasked FIN text frame (RFC 6455 §5.2) around `text`, built once per event. */
function textFrame(text) {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : 4;
  if (length >= 65_536) throw new Error('bench events are small');
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81;
  if (header === 2) frame[1] = length;
  else {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  }
  frame.write(text, header, 'utf8');
  return frame;
}

let corked = [];
function flush() {
  const sockets = corked;
  corked = [];
  for (const socket of sockets) socket.uncork();
}

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
    const frame = textFrame(envelopeOf(e));
    for (const socket of subscribers) {
      if (socket.writableCorked === 0) {
        socket.cork();
        if (corked.push(socket) === 1) process.nextTick(flush);
      }
      socket.write(frame);
    }
  }
});

process.on('SIGTERM', () => {
  for (const client of wss.clients) client.terminate();
  wss.close();
  void redis.quit().finally(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
