// The dialect registry: the app mounts every enabled entry of this list.
import { jotform } from './jotform/index.js';
import { livestorm } from './livestorm/index.js';
import type { Dialect } from './types.js';

export const dialects: readonly Dialect[] = [jotform, livestorm];
