// The store over a query interface: every capability's module, written once for both databases, in one
// object implementing the core's ports. The drivers (src/db/sqlite, src/db/pg) add what only they have.
import type { Store } from '../../core/ports.js';
import { adminStore } from './admin.js';
import { assignmentStore } from './assignments.js';
import { authStore } from './auth.js';
import { catalogStore } from './catalog.js';
import { consoleStore } from './console.js';
import { counterStore } from './counters.js';
import { crossWorkspaceLabelStore } from './cross-workspace-labels.js';
import type { Db } from './db.js';
import { labelPageStore } from './label-pages.js';
import { labelStore } from './labels.js';
import { oauthStore } from './oauth.js';
import { pathStore } from './paths.js';
import { sandboxStore } from './sandbox.js';
import { timedLabelStore } from './timed-labels.js';

/** A store over a database, with the database's query interface for operators' tools and tests. */
export interface DatabaseStore extends Store {
  readonly kind: 'sqlite' | 'postgres';
  readonly db: Db;
}

/** Every port of the core over `db` (all but `close`, which is the driver's). */
export function storeOver(db: Db): Omit<Store, 'close' | 'shared' | 'kind'> {
  // Built once per store: Object.assign of the modules, each an object of its port's methods.
  return Object.assign(
    { ping: () => db.ping() },
    authStore(db),
    adminStore(db),
    labelStore(db),
    labelPageStore(db),
    assignmentStore(db),
    pathStore(db),
    timedLabelStore(db),
    counterStore(db),
    oauthStore(db),
    crossWorkspaceLabelStore(db),
    catalogStore(db),
    sandboxStore(db),
    consoleStore(db),
  );
}
