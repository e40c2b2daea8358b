import type { AddressInfo } from 'node:net';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { FrontDoor, type Gate } from './front-door';

describe('FrontDoor', () => {
  let server: Server;
  let baseUrl: string;
  const door = new FrontDoor();
  const asked: string[] = [];

  /** A gate that answers the requests whose path is `path`, and notes that it was asked. */
  const answering =
    (name: string, path: string): Gate =>
    (request: IncomingMessage, response: ServerResponse) => {
      asked.push(name);
      if (request.url !== path) return false;
      response.end(name);
      return true;
    };

  beforeAll(async () => {
    server = door.serverFactory(
      (_request, response) => {
        asked.push('fastify');
        response.end('fastify');
      },
      { keepAliveTimeout: 1234, maxRequestsPerSocket: 7 },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (asked.length = 0));

  const get = async (path: string): Promise<string> => (await fetch(baseUrl + path)).text();

  it('sets up the server as Fastify would its own', () => {
    expect(server.keepAliveTimeout).toBe(1234);
    expect(server.maxRequestsPerSocket).toBe(7);
  });

  it('passes every request to the handler until a gate is added', async () => {
    expect(await get('/a')).toBe('fastify');
    expect(asked).toEqual(['fastify']);
  });

  it('asks the gates in the order they were added; the first to answer ends the request', async () => {
    door.addGate(answering('first', '/a'));
    door.addGate(answering('second', '/b'));
    expect(await get('/a')).toBe('first');
    expect(asked).toEqual(['first']);
    asked.length = 0;
    expect(await get('/b')).toBe('second');
    expect(asked).toEqual(['first', 'second']);
    asked.length = 0;
    expect(await get('/c')).toBe('fastify');
    expect(asked).toEqual(['first', 'second', 'fastify']);
  });

  it('passes everything to the handler once shut', async () => {
    door.shut();
    expect(await get('/a')).toBe('fastify');
    expect(await get('/b')).toBe('fastify');
    expect(asked).toEqual(['fastify', 'fastify']);
  });
});
