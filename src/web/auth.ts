import type { FastifyReply, FastifyRequest } from 'fastify';
import { keyMatches } from './keys.js';

/** A preHandler that requires `Authorization: Bearer <one of keys>`; answers 401 otherwise. */
export function requireKey(kind: 'write' | 'read', ...keys: string[]) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const presented = bearerToken(request) ?? queryKey(request);
    if (keys.some((key) => keyMatches(presented, key))) return;
    const hint = presented ? `the ${kind} key given is not valid` : `send the ${kind} key as "Authorization: Bearer <key>"`;
    await reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', message: hint });
  };
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

/** Browsers following a download link cannot set headers: `?key=` is accepted on GET. */
function queryKey(request: FastifyRequest): string | undefined {
  if (request.method !== 'GET') return undefined;
  const key = (request.query as Record<string, unknown> | undefined)?.key;
  return typeof key === 'string' ? key : undefined;
}
