/** The wording of notifications (DESIGN §6): "inbox ran successfully: …", "inbox failed due to …". */

const wholeNumbers = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const decimals = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });

/** 541909 → "541,909"; 1234.5 → "1,234.5". */
export function formatNumber(value: number | bigint): string {
  if (typeof value === 'bigint' || Number.isInteger(value)) return wholeNumbers.format(value);
  return decimals.format(value);
}

/** successMessage('inbox', 'online-retail.csv, 541,909 rows') → "inbox ran successfully: online-retail.csv, 541,909 rows". */
export function successMessage(job: string, details: string): string {
  return details ? `${job} ran successfully: ${details}` : `${job} ran successfully`;
}

/** failureMessage('inbox', 'line 3: bad date') → "inbox failed due to line 3: bad date". */
export function failureMessage(job: string, reason: string): string {
  return `${job} failed due to ${reason}`;
}

/** An email subject: the message's first line, kept short. */
export function subjectOf(message: string, maxLength = 200): string {
  const firstLine = message.split(/\r?\n/, 1)[0].trim();
  return firstLine.length > maxLength ? `${firstLine.slice(0, maxLength - 1)}…` : firstLine;
}
