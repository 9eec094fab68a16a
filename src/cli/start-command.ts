/**
 * `storepulse start` and `storepulse demo`, as commander sees them. The server (fastify, the jobs,
 * the report renderer) loads only when one of them runs, so the other commands start without it.
 */
import type { Command } from 'commander';

export function registerStartCommands(program: Command): void {
  program
    .command('start')
    .description('run the server: ingest API, consumer, query API')
    .option('-p, --port <port>', 'port to listen on (default: STOREPULSE_PORT or 8080)')
    .option('--host <host>', 'address to listen on (default: STOREPULSE_HOST or 127.0.0.1)')
    .action(async (options: { port?: string; host?: string }) => {
      const { runServerCommand } = await import('./start.js');
      await runServerCommand(options, { demo: false });
    });

  program
    .command('demo')
    .description('seed a demo shop (once) and run the server: what `npm start` runs')
    .option('-p, --port <port>', 'port to listen on (default: STOREPULSE_PORT or 8080)')
    .option('--host <host>', 'address to listen on')
    .action(async (options: { port?: string; host?: string }) => {
      const { runServerCommand } = await import('./start.js');
      await runServerCommand(options, { demo: true });
    });
}
