/**
 * API keys: `plb_<id>_<secret>`, where the secret is 32 random bytes (base64url). Only the
 * SHA-256 of the secret is stored — enough for a 256-bit random secret, which no dictionary
 * attack can reach (a slow hash such as scrypt only matters for low-entropy passwords).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { errors } from '../errors.js';
import type { ApiKey, KeyScope, Store } from '../store/store.js';

/** Every scope; `admin` implies the others. */
export const keyScopes: readonly KeyScope[] = ['ingest', 'read', 'admin'];

const keyPattern = /^plb_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** Creates a new key: the secret to show once, and the record to store. */
export function createApiKey(scopes: KeyScope[], nowMs: number): { secret: string; key: ApiKey } {
  for (const s of scopes) {
    if (!keyScopes.includes(s))
      throw new RangeError(`invalid scope: ${s} (expected ${keyScopes.join(', ')})`);
  }
  if (scopes.length === 0) throw new RangeError('invalid scopes: [] (expected at least one scope)');
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return {
    secret: `plb_${id}_${secret}`,
    key: { id, hash: sha256(secret), scopes: [...new Set(scopes)], createdAtMs: nowMs, revoked: false },
  };
}

/** Checks a presented key against the store; throws 401/403 catalogue errors. */
export class KeyChecker {
  private readonly cache = new Map<string, ApiKey>();

  constructor(private readonly store: Store) {}

  /** Verifies `authorization` (`Bearer plb_…`) and that the key has `scope` (or `admin`). */
  async check(authorization: string | undefined, scope: KeyScope): Promise<ApiKey> {
    const key = await this.verify(authorization);
    if (!key.scopes.includes(scope) && !key.scopes.includes('admin')) {
      throw errors.forbidden(`API key lacks scope ${scope}`, [
        {
          field: 'authorization',
          value: key.scopes.join(','),
          expected: `a key with scope ${scope} or admin`,
        },
      ]);
    }
    return key;
  }

  /** The valid, unrevoked key presented in `authorization`, or null (`GET /v1/auth/whoami`). */
  async identify(authorization: string | undefined): Promise<ApiKey | null> {
    return this.verify(authorization).catch(() => null);
  }

  /** The presented key if it is known and unrevoked; throws 401 otherwise. */
  private async verify(authorization: string | undefined): Promise<ApiKey> {
    const presented = authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
    const m = presented ? keyPattern.exec(presented) : null;
    if (!m) {
      throw errors.unauthorized('missing or malformed API key', [
        { field: 'authorization', expected: 'Bearer plb_<id>_<secret> (plumbline keys create)' },
      ]);
    }
    const [, id, secret] = m;
    let key = this.cache.get(id);
    if (!key) {
      key = await this.store.getApiKey(id);
      if (key) this.cache.set(id, key);
    }
    const hash = Buffer.from(sha256(secret), 'hex');
    if (!key || key.revoked || !timingSafeEqual(hash, Buffer.from(key.hash, 'hex'))) {
      throw errors.unauthorized('unknown or revoked API key', [
        { field: 'authorization', expected: 'a valid API key' },
      ]);
    }
    return key;
  }
}

/** True for loopback hosts (127.0.0.0/8, ::1, localhost). */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}

/** Refuses to serve a non-loopback address without API keys configured. */
export function assertSafeBind(host: string, keyCount: number): void {
  if (!isLoopback(host) && keyCount === 0) {
    throw errors.forbidden(`refusing to listen on ${host} without API keys`, [
      {
        field: '--host',
        value: host,
        expected: 'a loopback address, or create a key first (plumbline keys create)',
      },
    ]);
  }
}
