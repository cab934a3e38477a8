// The dialect registry: the app mounts every enabled entry of this list.
import { devtodev } from './devtodev/index.js';
import { jotform } from './jotform/index.js';
import { limbo } from './limbo/index.js';
import { livestorm } from './livestorm/index.js';
import { razuna } from './razuna/index.js';
import type { Dialect } from './types.js';

export const dialects: readonly Dialect[] = [jotform, razuna, livestorm, devtodev, limbo];
