import type { AddressInfo } from 'node:net';
import { WebSocket, WebSocketServer } from 'ws';
import { CorkBatch, socketOf, textFrame } from './prepared-frame';

describe('prepared frames', () => {
  let server: WebSocketServer;
  let serverSide: WebSocket;
  let client: WebSocket;

  beforeAll(async () => {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((resolve) => server.once('listening', resolve));
    const connected = new Promise<WebSocket>((resolve) => server.once('connection', resolve));
    client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`, {
      maxPayload: 1 << 20,
    });
    await new Promise((resolve) => client.once('open', resolve));
    serverSide = await connected;
  });
  afterAll(async () => {
    client.terminate();
    await new Promise((resolve) => server.close(resolve));
  });

  const received = (count: number) =>
    new Promise<{ text: string; binary: boolean }[]>((resolve) => {
      const got: { text: string; binary: boolean }[] = [];
      const on = (data: Buffer, binary: boolean) => {
        got.push({ text: data.toString('utf8'), binary });
        if (got.length === count) {
          client.off('message', on);
          resolve(got);
        }
      };
      client.on('message', on);
    });

  it.each([0, 1, 125, 126, 127, 65_535, 65_536, 300_000])(
    'is decoded by a ws client as one text message of %i bytes',
    async (size) => {
      const text = 'é'.repeat(Math.floor(size / 2)) + 'x'.repeat(size % 2);
      const got = received(1);
      socketOf(serverSide).write(textFrame(text));
      expect(await got).toEqual([{ text, binary: false }]);
    },
  );

  it('flushes corked writes together on the next tick, in order, interleaved with ws sends', async () => {
    const batch = new CorkBatch();
    const socket = socketOf(serverSide);
    const got = received(4);
    batch.write(socket, textFrame('one'));
    serverSide.send('two'); // ws's own sender, same stream
    batch.write(socket, textFrame('three'));
    expect(socket.writableCorked).toBe(1);
    batch.write(socket, textFrame('four'));
    await new Promise((resolve) => process.nextTick(resolve));
    expect(socket.writableCorked).toBe(0);
    expect((await got).map((m) => m.text)).toEqual(['one', 'two', 'three', 'four']);
  });
});
