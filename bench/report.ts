/**
 * Weekly report generation for the busiest week of the online-retail data, against the import of
 * the whole file: both measured in one child process on the same data dir (bench/report-child.ts).
 */
import { median, onlineRetailCsv, runScript } from './lib.js';

export interface ReportMeasurement {
  week: { from: string; to: string };
  orders: number;
  /** Each generation, in order: the first includes loading fonts and the chart engine. */
  reportSeconds: number[];
  medianReportSeconds: number;
  /** The import of the file that the report was generated from, in the same child. */
  importSeconds: number;
}

export async function measureReport(runs = 3): Promise<ReportMeasurement> {
  const child = await runScript<{ importSeconds: number; week: { from: string; to: string }; reportSeconds: number[]; orders: number }>(
    'bench/report-child.ts', [onlineRetailCsv, String(runs)],
  );
  return { ...child, medianReportSeconds: median(child.reportSeconds) };
}
