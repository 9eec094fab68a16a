/**
 * For commands that must not open the data dir while a server owns it (the embedded warehouse
 * admits one process): find the running server and call its API with the keys of the data dir.
 */
import type { Config } from '../config.js';
import { readServerInfo } from '../server-info.js';
import { resolveKeys } from '../web/keys.js';

export class ApiError extends Error {
  /** `reason`: the server's own message (for a 4xx, what the user must fix). */
  constructor(readonly status: number, message: string, readonly reason: string = message) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface ApiClient {
  url: string;
  /** JSON in, JSON out; an answer that is not 2xx throws ApiError with the server's message. */
  request<T>(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown): Promise<T>;
  /** The raw response, for downloads. */
  fetch(pathAndQuery: string): Promise<Response>;
}

/** The client of the server that owns the data dir, or undefined when none runs. */
export function runningServer(config: Config): ApiClient | undefined {
  const server = readServerInfo(config.dataDir);
  if (!server) return undefined;
  const keys = resolveKeys(config.dataDir, { writeKey: config.writeKey, readKey: config.readKey });
  // The write key opens the read routes too, and the routes that change data (run a job).
  const authorization = `Bearer ${keys.writeKey}`;
  const send = async (method: string, pathAndQuery: string, body?: unknown): Promise<Response> => {
    try {
      return await fetch(`${server.url}${pathAndQuery}`, {
        method,
        headers: body === undefined ? { authorization } : { authorization, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch (error) {
      throw new ApiError(0, `cannot reach the storepulse server (pid ${server.pid}) at ${server.url}: ${(error as Error).message}`);
    }
  };
  return {
    url: server.url,
    async request<T>(method: 'GET' | 'POST', pathAndQuery: string, body?: unknown): Promise<T> {
      const response = await send(method, pathAndQuery, body);
      const text = await response.text();
      let parsed: unknown;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        parsed = undefined;
      }
      if (!response.ok) {
        const message = (parsed as { message?: string } | undefined)?.message ?? `${text.slice(0, 200) || 'no message'}`;
        throw new ApiError(response.status, `${method} ${pathAndQuery}: the server answered ${response.status}: ${message}`, message);
      }
      return parsed as T;
    },
    fetch: (pathAndQuery) => send('GET', pathAndQuery),
  };
}
