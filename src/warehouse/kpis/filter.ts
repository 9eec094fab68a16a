/**
 * The shared KPI filter, written once per dialect: range [from, to) on `ts`, optional country,
 * optional seller. Every value is a bound parameter; no value is ever spliced into SQL text.
 */
import type { FactTable, KpiQuery } from '../port.js';
import { FILTERABLE_DIMENSIONS, type FilterOptions, type KpiSqlContext } from './definition.js';

const HOUR_MS = 3_600_000;

export type DuckDbParameters = Record<string, string | number>;

/** DuckDB: named parameters (`$name`), bound by the adapter from `parameters`. */
export class DuckDbKpiContext implements KpiSqlContext {
  readonly parameters: DuckDbParameters = {};

  constructor(private readonly query: KpiQuery) {}

  where(table: FactTable, options: FilterOptions = {}): string {
    const column = (name: string) => (options.alias ? `${options.alias}.${name}` : name);
    const fromMs = options.lastHours === undefined ? this.query.fromMs : this.query.toMs - options.lastHours * HOUR_MS;
    const fromName = options.lastHours === undefined ? 'from_ms' : `from_ms_last_${options.lastHours}h`;
    const conditions = [
      `${column('ts')} >= epoch_ms(${this.integer(fromName, fromMs)})`,
      `${column('ts')} < epoch_ms(${this.integer('to_ms', this.query.toMs)})`,
    ];
    const dimensions = FILTERABLE_DIMENSIONS[table];
    if (dimensions.country && this.query.country !== undefined) {
      conditions.push(`${column('country')} = ${this.text('country', this.query.country)}`);
    }
    if (dimensions.seller && this.query.seller !== undefined) {
      conditions.push(`${column('seller_id')} = ${this.text('seller', this.query.seller)}`);
    }
    return conditions.join(' AND ');
  }

  get limit(): string {
    return this.integer('limit', this.query.limit);
  }

  observedMinutes(table: FactTable): string {
    const from = `greatest(epoch_ms(${this.integer('from_ms', this.query.fromMs)}), (SELECT min(ts) FROM ${table}))`;
    const to = `epoch_ms(${this.integer('observed_to_ms', Math.min(this.query.toMs, Date.now()))})`;
    return `(date_diff('millisecond', ${from}, ${to}) / 60000.0)`;
  }

  private integer(name: string, value: number): string {
    this.parameters[name] = value;
    return `CAST($${name} AS BIGINT)`;
  }

  private text(name: string, value: string): string {
    this.parameters[name] = value;
    return `$${name}`;
  }
}
