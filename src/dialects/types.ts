// What every dialect provides to the app: one encapsulated plugin mounted at its vendor base path.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import type { Config, DialectName } from '../config.js';
import type { Core } from '../core/index.js';
import type { DocumentOptions } from '../http/openapi.js';

export interface DialectOptions {
  core: Core;
  config: Readonly<Config>;
}

export interface DemoCredentials {
  key: string;
  workspaceId: number;
  workspaceUuid: string;
}

export interface Dialect {
  name: DialectName;
  /** Human title and description for the dialect's OpenAPI document. */
  title?: string;
  description?: string;
  /**
   * The rest of the dialect's OpenAPI document: its component registry, security schemes, tags, and a
   * `finish` hook for what route schemas cannot say (vendor content types, engine-read parameters).
   */
  openapi?: Omit<DocumentOptions, 'title' | 'description'>;
  /** The vendor's base path; the configured prefix goes before it. */
  mount: string;
  /** Registered with `prefix: <configured prefix><mount>`; must not be wrapped in fastify-plugin. */
  plugin: FastifyPluginAsync<DialectOptions>;
  /** One ready-to-paste curl line that lists labels, for the first-start banner. */
  exampleCurl(baseUrl: string, demo: DemoCredentials): string;
}

/** Positive integer ids as they appear in paths: validated before any query. */
export const ID_PATTERN = /^[1-9][0-9]{0,15}$/;
export const parseId = (raw: unknown): number | null => {
  if (typeof raw !== 'string' || !ID_PATTERN.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) ? n : null;
};

/** A path id in a zod params schema: anything but a positive safe integer fails (and the dialect answers 404). */
export const idParam = () => z.string().refine((v) => parseId(v) !== null, 'not an id').transform(Number);
