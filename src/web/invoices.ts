/** Invoice lookups (DESIGN §8, seed 002): a customer's invoices, paged, and one invoice by number. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Store } from '../store/port.js';

const ListQuery = z.object({
  customer_id: z.string({ message: 'customer_id is required' }).min(1, 'customer_id is required').max(128),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export async function invoiceRoutes(app: FastifyInstance, options: { store: Store }): Promise<void> {
  app.get('/api/invoices', async (request, reply) => {
    const parsed = ListQuery.safeParse(request.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reply.code(400).send({ error: 'bad_request', message: `${issue.path.join('.') || 'query'}: ${issue.message}` });
    }
    const { customer_id, limit, offset } = parsed.data;
    return options.store.listInvoices(customer_id, { limit, offset });
  });

  app.get<{ Params: { orderId: string } }>('/api/invoices/:orderId', async (request, reply) => {
    const invoice = await options.store.getInvoice(request.params.orderId);
    if (!invoice) return reply.code(404).send({ error: 'not_found', message: `no invoice ${request.params.orderId} in the hot store (orders older than the retention window are in the warehouse only)` });
    return invoice;
  });
}
