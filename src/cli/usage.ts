/** A command's refusal: the reason on stderr, prefixed by the command, and exit code 2. */
export function exitWithReason(command: string, message: string): never {
  process.stderr.write(`storepulse ${command}: ${message}\n`);
  process.exit(2);
}
