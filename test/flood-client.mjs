// The unauthenticated flooding client of test/flood.test.ts, in a process of its own (as an attacker's
// machine would be), so its own work does not slow the test's measuring client. Usage:
//   node test/flood-client.mjs <port> <connections> <bodies per second> <path>...
// Waits for 'start' and 'stop' messages from its parent; on 'report' sends back {sent, statuses}. Each body is
// a 50,000-key urlencoded form (about 430 KiB), posted without credentials to the given paths in turn.
import { Agent, request } from 'node:http';

const [port, connections, rate, ...paths] = process.argv.slice(2);
const body = Buffer.from(Array.from({ length: 50_000 }, (_, i) => `k${i}=v`).join('&'));
const agent = new Agent({ keepAlive: true, maxSockets: Number(connections) });
const statuses = {};
let sent = 0;
let running = false;
const count = (what) => (statuses[what] = (statuses[what] ?? 0) + 1);
const post = (path) =>
  new Promise((resolve) => {
    const headers = { 'content-type': 'application/x-www-form-urlencoded', 'content-length': body.length };
    const req = request({ host: '127.0.0.1', port: Number(port), path, method: 'POST', agent, headers }, (res) => {
      count(res.statusCode);
      res.resume();
      res.on('end', resolve);
    });
    req.on('error', (e) => (count(e.code ?? 'error'), resolve()));
    req.end(body);
    sent++;
  });
/** One connection's loop: a body every connections/rate seconds, or back to back if it cannot keep up. */
async function connection(first) {
  const start = Date.now();
  for (let n = 1; running; n++) {
    await post(paths[(first + n) % paths.length]);
    const wait = start + (n * Number(connections) * 1000) / Number(rate) - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}
process.on('message', (m) => {
  if (m === 'start' && !running) {
    running = true;
    for (let c = 0; c < Number(connections); c++) void connection(c);
  }
  if (m === 'stop') running = false;
  if (m === 'report') process.send({ sent, statuses });
});
