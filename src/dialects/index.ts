// The dialect registry: the app mounts every enabled entry of this list.
import { livestorm } from './livestorm/index.js';
import type { Dialect } from './types.js';

export const dialects: readonly Dialect[] = [livestorm];
