/**
 * Node options for this program's worker threads: the parent's, without a TypeScript loader
 * preloaded by `node --import tsx` (or --require, --loader). A worker inherits the parent's options,
 * and tsx's ESM hooks then start a loader thread in every worker: ~0.15 s of CPU each, measured on
 * the online-retail import's reader thread (import x0.96, CPU 2.79 -> 2.63 s). The workers are
 * plain JavaScript entries that load TypeScript themselves when they need to (read.worker.cjs).
 */
const LOADER_OPTIONS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

export function workerExecArgv(parentExecArgv: readonly string[] = process.execArgv): string[] {
  const kept: string[] = [];
  for (let index = 0; index < parentExecArgv.length; index += 1) {
    const option = parentExecArgv[index];
    const [name, inlineValue] = option.split(/=(.*)/s, 2);
    if (!LOADER_OPTIONS.has(name)) {
      kept.push(option);
      continue;
    }
    const value = inlineValue ?? parentExecArgv[index + 1];
    if (inlineValue === undefined) index += 1;
    if (!isTsx(value)) kept.push(...(inlineValue === undefined ? [option, value] : [option]));
  }
  return kept;
}

function isTsx(specifier: string | undefined): boolean {
  return specifier !== undefined && /^tsx(\/|$)/.test(specifier);
}
