/**
 * Engine rows → KpiRows, typed by the KPI's columns, the same for every dialect: engines return
 * big integers and decimals as strings, and the API, dashboard and PDF want plain numbers.
 */
import type { KpiColumn, KpiRow } from '../port.js';

export function toKpiRows(kpiName: string, columns: KpiColumn[], engineRows: Record<string, unknown>[]): KpiRow[] {
  return engineRows.map((engineRow) => {
    const row: KpiRow = {};
    for (const column of columns) {
      if (!(column.name in engineRow)) {
        throw new Error(`KPI ${kpiName}: the query returned no column "${column.name}"; fix its SQL to match its columns`);
      }
      row[column.name] = toColumnValue(engineRow[column.name], column);
    }
    return row;
  });
}

function toColumnValue(value: unknown, column: KpiColumn): string | number | null {
  if (value === null || value === undefined) return null;
  switch (column.type) {
    case 'integer':
    case 'money':
    case 'number':
    case 'ratio':
      return Number(value);
    case 'date':
      return String(value).slice(0, 10);
    case 'text':
      return String(value);
  }
}
