// What a reset (POST /_admin/reset) clears besides the database: what this process remembers about the data it
// replaced. Each part of the app that remembers something adds a hook (heavy reads' big tenants, per-address
// throttles); the app's builder adds those given in AppDeps (the request journal, faults, the clock).
export type ResetHook = () => void | Promise<void>;

declare module 'fastify' {
  interface FastifyInstance {
    /** The hooks a reset runs after the database is back to its fixtures (decorated by buildApp). */
    resetHooks: ResetHooks;
  }
}

export class ResetHooks {
  private readonly hooks: ResetHook[];

  constructor(initial: readonly ResetHook[] = []) {
    this.hooks = [...initial];
  }

  add(hook: ResetHook): void {
    this.hooks.push(hook);
  }

  /** Runs every hook, in the order added. */
  async run(): Promise<void> {
    for (const hook of this.hooks) await hook();
  }
}
