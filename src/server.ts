// Entry point of `npm start` and the Docker image: the environment's configuration (plus the server's own
// flags) → src/serve.ts.
import { loadConfig, serverFlags, unknownSettings } from './config.js';
import { runServer } from './serve.js';

await runServer(() => {
  const config = { ...loadConfig(), ...serverFlags(process.argv.slice(2)) };
  for (const warning of unknownSettings()) process.stderr.write(`labelmux: warning: ${warning}\n`);
  return config;
});
