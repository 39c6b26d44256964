import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ODataTransport } from '../../connectors/http/odata-transport';

// A server that resets the connection of the first request it gets, as a service does when it closes a
// kept-alive connection just as the client reuses it.
let server: Server;
let requests: string[];
let transport: ODataTransport;

beforeEach(async () => {
  requests = [];
  server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    if (requests.length === 1) {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"value":[]}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  transport = new ODataTransport({
    service: 'finance',
    serviceRoot: `http://127.0.0.1:${port}/data/`,
    tokenProvider: { getToken: async () => 'token' },
  });
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('a GET whose connection is reset goes once more and gets its answer', async () => {
  const response = await transport.send({ method: 'GET', path: 'SalesOrderHeadersV2' });
  expect(response.body).toBe('{"value":[]}');
  expect(requests).toEqual(['GET /data/SalesOrderHeadersV2', 'GET /data/SalesOrderHeadersV2']);
});

test('a write whose connection is reset is not sent twice: the caller retries it', async () => {
  const failure = await transport
    .send({ method: 'POST', path: 'SalesOrderHeadersV2', body: '{}' })
    .catch((error: unknown) => error);
  expect(failure).toMatchObject({ kind: 'network', code: 'ECONNRESET', retryable: true });
  expect(requests).toEqual(['POST /data/SalesOrderHeadersV2']);
});
