// The razuna dialect (../shared/spec/razuna.md). Work in progress.
import type { Dialect } from '../types.js';

export const razuna: Dialect = {
  name: 'razuna',
  mount: '/global/api2/label.cfc',
  plugin: async () => {},
  exampleCurl: (base) => `curl ${base}/global/api2/label.cfc`,
};
