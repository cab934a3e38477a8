// A front end's zod registry for its OpenAPI document's named components. Kept apart from openapi.ts so
// schema modules (also loaded by the CLI) do not pull in the swagger plugins.
import { globalRegistry, $ZodRegistry, type $ZodType } from 'zod/v4/core';

/** Component metadata: `id` names the component; `description`/`title` go into the schema. */
export interface ComponentMeta {
  id?: string;
  description?: string;
  title?: string;
  [k: string]: unknown;
}

/**
 * A front end's own zod registry (component ids collide across front ends otherwise). Metadata set with
 * `.describe()`/`.meta()` (the global registry) is read too, so descriptions written inline still show.
 */
export class DocRegistry extends $ZodRegistry<ComponentMeta> {
  override get(schema: $ZodType): ComponentMeta | undefined {
    const merged = { ...(globalRegistry.get(schema) as ComponentMeta | undefined), ...super.get(schema) };
    return Object.keys(merged).length > 0 ? merged : undefined;
  }
}
