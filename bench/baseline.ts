// The baselines' server: tsx bench/baseline.ts <db> <port> [bare|contract] (see bench/baseline-app.ts).
import { baselineApp } from './baseline-app.js';

const [path, port, mode = 'bare'] = process.argv.slice(2) as [string, string, ('bare' | 'contract')?];
const { app, db } = baselineApp(path, mode);
await app.listen({ port: Number(port), host: '127.0.0.1' });
process.stdout.write(`baseline (${mode}) listening on ${port}\n`);
process.on('SIGTERM', () => void app.close().then(() => (db.close(), process.exit(0))));
