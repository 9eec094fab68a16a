/**
 * `<data dir>/server.json` tells other commands (storepulse kpi, import) that a server owns the
 * data dir and where to reach it, since the embedded warehouse allows one process at a time.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface ServerInfo {
  pid: number;
  url: string;
  startedAt: string;
}

const FILE = 'server.json';

export function writeServerInfo(dataDir: string, info: ServerInfo): void {
  fs.writeFileSync(path.join(dataDir, FILE), JSON.stringify(info, null, 2));
}

export function clearServerInfo(dataDir: string): void {
  fs.rmSync(path.join(dataDir, FILE), { force: true });
}

/** The running server's info, or undefined when none runs (a stale file from a killed one is ignored). */
export function readServerInfo(dataDir: string): ServerInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dataDir, FILE), 'utf8')) as ServerInfo;
    process.kill(info.pid, 0);
    return info;
  } catch {
    return undefined;
  }
}
