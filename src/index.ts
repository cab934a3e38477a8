// The package's public entry (`import { startLabelmux } from 'labelmux'`): labelmux started from a test
// runner, and the types of its admin API. The server itself runs from bin/labelmux.js (`labelmux serve`).
export { startLabelmux, type AdminClient, type Labelmux, type StartOptions } from './sandbox/start.js';
export type { paths as AdminPaths, components as AdminComponents, operations as AdminOperations } from './sandbox/admin-api.js';
export type { DialectName } from './config.js';
