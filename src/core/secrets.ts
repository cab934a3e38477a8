// Keys and passwords: keys are 128 random bits as 32 lowercase hex, stored only as SHA-256;
// passwords are scrypt hashes with a per-user salt.
import { hash, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number) => Promise<Buffer>;

export const KEY_PATTERN = /^[0-9a-f]{32}$/;
export const newApiKey = (): string => randomBytes(16).toString('hex');
export const newUuid = (): string => randomUUID();
/** One-shot `crypto.hash`: half the cost of createHash().update().digest() on every request's key. */
export const sha256 = (s: string): string => hash('sha256', s, 'hex');

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32);
  return `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || !saltHex || !hashHex) return false;
  const expected = Buffer.from(hashHex, 'hex');
  const actual = await scryptAsync(password, Buffer.from(saltHex, 'hex'), expected.length);
  return timingSafeEqual(expected, actual);
}
