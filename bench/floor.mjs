// The floor under a healthy check's probe: a script that does nothing but load http, net and
// crypto (through require, as dist/ does) and make the same four connections as the probe
// (GET /healthz /startupz /readyz, and a WebSocket upgrade that waits for the gateway's first
// frame, the connect.challenge, then closes with 1000). No parsing, no ws, no state, no /proc.
// `--keep-alive`: the three GETs share one keep-alive connection (what one agent would save).
// Usage (bench/check.mjs runs it): node bench/floor.mjs [--keep-alive]  (OPENCLAW_GATEWAY_PORT)
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const http = require('node:http');
const crypto = require('node:crypto');
require('node:net');

const port = Number(process.env.OPENCLAW_GATEWAY_PORT ?? 18789);
const host = '127.0.0.1';
const keepAlive = process.argv.includes('--keep-alive');
const agent = keepAlive ? new http.Agent({ keepAlive: true, maxSockets: 1 }) : false;

const get = (path) =>
  new Promise((resolve, reject) => {
    const req = http.request({ host, port, path, agent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => resolve(res.statusCode));
    });
    req.on('error', reject);
    req.end();
  });

const challenge = () =>
  new Promise((resolve, reject) => {
    const key = crypto.randomBytes(16).toString('base64');
    const req = http.request({
      host,
      port,
      path: '/',
      agent: false,
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': key,
      },
    });
    req.on('upgrade', (res, socket, head) => {
      const accept = crypto
        .createHash('sha1')
        .update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`)
        .digest('base64');
      if (res.headers['sec-websocket-accept'] !== accept) return reject(new Error('bad accept'));
      const close = () => {
        // A masked close frame, code 1000.
        const mask = crypto.randomBytes(4);
        const body = Buffer.from([0x03 ^ mask[0], 0xe8 ^ mask[1]]);
        socket.end(Buffer.concat([Buffer.from([0x88, 0x82]), mask, body]));
        resolve(true);
      };
      if (head.length) close();
      else socket.once('data', close);
    });
    req.on('error', reject);
    req.end();
  });

const results = await Promise.all([get('/healthz'), get('/startupz'), get('/readyz'), challenge()]);
if (keepAlive) agent.destroy();
if (!results.every((r) => r === 200 || r === true)) process.exit(1);
