import { workloads } from './workloads.js';
const base = 'http://127.0.0.1:19501';
for (const w of workloads(1, 100000)) {
  const r = w.labelmux(7);
  await fetch(base + '/healthz?' + encodeURIComponent(`${w.dialect} ${w.name}`));
  const res = await fetch(base + r.path, { method: r.method, headers: r.headers, body: r.body });
  console.log(w.dialect, w.name, res.status);
}
