// The devtodev dialect (../shared/spec/devtodev.md). Work in progress.
import type { Dialect } from '../types.js';

export const devtodev: Dialect = {
  name: 'devtodev',
  mount: '/api/v1/labels',
  plugin: async () => {},
  exampleCurl: (base) => `curl ${base}/api/v1/labels`,
};
