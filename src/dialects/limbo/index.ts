// The limbo dialect (../shared/spec/limbo.md). Work in progress.
import type { Dialect } from '../types.js';

export const limbo: Dialect = {
  name: 'limbo',
  mount: '',
  plugin: async () => {},
  exampleCurl: (base) => `curl ${base}`,
};
