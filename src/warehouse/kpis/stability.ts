import type { KpiDefinition } from './definition.js';

export const stability: KpiDefinition = {
  name: 'stability',
  title: 'Storefront stability by location',
  description: 'Probes per location: requests, availability (share of probes that succeeded), latency percentiles in milliseconds (interpolated), and requests per minute over the part of [from, to) that can hold probes (from the first probe, up to now). Country and seller filters do not apply to probes.',
  columns: [
    { name: 'location', type: 'text', label: 'Location' },
    { name: 'requests', type: 'integer', label: 'Requests' },
    { name: 'availability', type: 'ratio', label: 'Availability' },
    { name: 'p50_ms', type: 'number', label: 'p50 (ms)' },
    { name: 'p95_ms', type: 'number', label: 'p95 (ms)' },
    { name: 'p99_ms', type: 'number', label: 'p99 (ms)' },
    { name: 'requests_per_minute', type: 'number', label: 'Requests per minute' },
  ],
  sql: {
    duckdb: (context) => `
      SELECT location, COUNT(*) AS requests,
        AVG(CASE WHEN ok THEN 1.0 ELSE 0.0 END)::DOUBLE AS availability,
        quantile_cont(latency_ms, 0.5) AS p50_ms,
        quantile_cont(latency_ms, 0.95) AS p95_ms,
        quantile_cont(latency_ms, 0.99) AS p99_ms,
        COUNT(*) / NULLIF(greatest(${context.observedMinutes('probes')}, 0), 0) AS requests_per_minute
      FROM probes
      WHERE ${context.where('probes')}
      GROUP BY location
      ORDER BY location
      LIMIT ${context.limit}`,
  },
};
