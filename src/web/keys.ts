/**
 * API keys: from STOREPULSE_WRITE_KEY / STOREPULSE_READ_KEY, else generated once and kept in
 * `<data dir>/keys.json` (mode 0600) so that a restart keeps the keys that producers already use.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes, timingSafeEqual } from 'node:crypto';

export interface ApiKeys {
  writeKey: string;
  readKey: string;
  generated: boolean;
}

export function resolveKeys(dataDir: string, fromEnv: { writeKey?: string; readKey?: string }): ApiKeys {
  const file = path.join(dataDir, 'keys.json');
  let stored: Partial<ApiKeys> = {};
  if (fs.existsSync(file)) stored = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<ApiKeys>;
  const writeKey = fromEnv.writeKey ?? stored.writeKey ?? `spw_${randomBytes(18).toString('base64url')}`;
  const readKey = fromEnv.readKey ?? stored.readKey ?? `spr_${randomBytes(18).toString('base64url')}`;
  const generated = !fromEnv.writeKey || !fromEnv.readKey;
  if (generated && (stored.writeKey !== writeKey || stored.readKey !== readKey)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, JSON.stringify({ writeKey, readKey }, null, 2), { mode: 0o600 });
  }
  return { writeKey, readKey, generated };
}

/** Constant-time comparison of a presented key with an expected one. */
export function keyMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
