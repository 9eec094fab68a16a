/** Invoice lookups (DESIGN §8, seed 002): a customer's invoices, paged, and one invoice by number. */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Store } from '../store/port.js';
import type { Warehouse } from '../warehouse/port.js';

const ListQuery = z.object({
  customer_id: z.string({ message: 'customer_id is required' }).min(1, 'customer_id is required').max(128),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/**
 * One invoice comes from the store when it is in the hot window, else from the warehouse; a
 * customer's list comes from the warehouse, which holds every order (the store only the last days).
 */
export async function invoiceRoutes(app: FastifyInstance, options: { store: Store; warehouse: Warehouse }): Promise<void> {
  app.get('/api/invoices', async (request, reply) => {
    const parsed = ListQuery.safeParse(request.query);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reply.code(400).send({ error: 'bad_request', message: `${issue.path.join('.') || 'query'}: ${issue.message}` });
    }
    const { customer_id, limit, offset } = parsed.data;
    return options.warehouse.listInvoices(customer_id, { limit, offset });
  });

  app.get<{ Params: { orderId: string } }>('/api/invoices/:orderId', async (request, reply) => {
    const orderId = request.params.orderId;
    const invoice = (await options.store.getInvoice(orderId)) ?? (await options.warehouse.getInvoice(orderId));
    if (!invoice) return reply.code(404).send({ error: 'not_found', message: `no invoice ${orderId}: no order with that number was loaded` });
    return invoice;
  });
}
