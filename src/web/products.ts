/** Products with stock, details, the live 4-hour view counter and the high-attention badge. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AttentionCounter, Store } from '../store/port.js';
import type { Warehouse } from '../warehouse/port.js';

const FOUR_HOURS_MS = 4 * 60 * 60 * 1000;
/**
 * The attention job runs every 4 hours and saves nothing for a window without views, so a list
 * whose window ended more than two periods ago is history, not the current top 100.
 */
const STALE_AFTER_MS = 2 * FOUR_HOURS_MS;

async function currentHighAttention(store: Store, now: number): Promise<AttentionCounter[]> {
  const top = await store.latestHighAttention();
  return top.length > 0 && Date.parse(top[0].window_end) >= now - STALE_AFTER_MS ? top : [];
}

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
  search: z.string().max(200).optional(),
});

export async function productRoutes(app: FastifyInstance, options: { store: Store; warehouse: Warehouse }): Promise<void> {
  app.get('/api/products', async (request, reply) => {
    const parsed = ListQuery.safeParse(request.query);
    if (!parsed.success) return reply.code(400).send({ error: 'bad_request', message: parsed.error.issues[0].message });
    return options.store.listProducts(parsed.data);
  });

  app.get('/api/products/high-attention', async () => {
    const top = await currentHighAttention(options.store, Date.now());
    return { window: top[0] ? { start: top[0].window_start, end: top[0].window_end } : null, products: top };
  });

  app.get<{ Params: { id: string } }>('/api/products/:id', async (request, reply) => {
    const product = await options.store.getProduct(request.params.id);
    if (!product) return reply.code(404).send({ error: 'not_found', message: `no product ${request.params.id}` });
    const now = Date.now();
    const [viewsLast4h, top] = await Promise.all([
      options.warehouse.countViews(product.product_id, now - FOUR_HOURS_MS, now + 1),
      currentHighAttention(options.store, now),
    ]);
    return { ...product, views_last_4h: viewsLast4h, high_attention: top.some((entry) => entry.product_id === product.product_id) };
  });
}
