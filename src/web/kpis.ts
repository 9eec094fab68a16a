/** GET /api/kpis and /api/kpis/:name: the KPI catalog (DESIGN §5), as JSON or CSV. */
import type { FastifyInstance } from 'fastify';
import type { Warehouse } from '../warehouse/port.js';
import { findKpi, kpiCatalog } from '../warehouse/kpis/index.js';
import { KpiRequestError, resolveKpiQuery, type KpiRequest } from '../warehouse/kpi-request.js';
import { sendCsv, wantsCsv } from './csv.js';

export interface KpiRoutesOptions {
  warehouse: Warehouse;
  timeZone: string;
}

export async function kpiRoutes(app: FastifyInstance, options: KpiRoutesOptions): Promise<void> {
  app.get('/api/kpis', async () => ({
    kpis: kpiCatalog.map((kpi) => ({ name: kpi.name, title: kpi.title, description: kpi.description, columns: kpi.columns })),
  }));

  app.get<{ Params: { name: string }; Querystring: KpiRequest }>('/api/kpis/:name', async (request, reply) => {
    const kpi = findKpi(request.params.name);
    if (!kpi) {
      return reply.code(404).send({ error: 'unknown_kpi', message: `no KPI named "${request.params.name}"; GET /api/kpis lists them` });
    }
    let query;
    try {
      const { from, to, country, seller, limit } = request.query;
      query = resolveKpiQuery({ from, to, country, seller, limit }, options.timeZone);
    } catch (error) {
      if (error instanceof KpiRequestError) return reply.code(400).send({ error: 'bad_request', message: error.message });
      throw error;
    }
    const result = await options.warehouse.runKpi(kpi.name, query);
    if (wantsCsv(request)) return sendCsv(reply, result.rows, result.columns.map((column) => column.name), `${kpi.name}.csv`);
    return {
      ...result,
      params: { from: new Date(query.fromMs).toISOString(), to: new Date(query.toMs).toISOString(), country: query.country ?? null, seller: query.seller ?? null, limit: query.limit },
    };
  });
}
