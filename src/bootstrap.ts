// First start on an empty database: a demo tenant and one ready-to-paste curl line per enabled dialect.
import type { Config } from './config.js';
import type { DemoTenant } from './core/admin.js';
import { dialects } from './dialects/index.js';

export function banner(config: Readonly<Config>, demo: DemoTenant, baseUrl: string): string {
  const lines = [
    'labelmux: created a demo workspace on this empty database (shown once; keep the key).',
    `  workspace  id=${demo.workspace.id} uuid=${demo.workspace.uuid} name="${demo.workspace.name}"`,
    `  owner      ${demo.user.email} (user id ${demo.user.id})`,
    `  api key    ${demo.key}`,
    '  try it:',
  ];
  const creds = { key: demo.key, workspaceId: demo.workspace.id, workspaceUuid: demo.workspace.uuid };
  // LABELMUX_PUBLIC_URL may end in '/'; the prefixes and vendor paths all start with one.
  const base = baseUrl.replace(/\/+$/, '');
  for (const d of dialects) {
    const cfg = config.dialects[d.name];
    if (cfg.enabled) lines.push(`    [${d.name}] ${d.exampleCurl(`${base}${cfg.prefix}`, creds)}`);
  }
  return `${lines.join('\n')}\n`;
}
