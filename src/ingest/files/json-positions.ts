/** Where things are in a JSON text, for problems that name a line. */

/** 1-based line of each top-level element of a JSON array, in order. */
export function arrayElementLines(text: string): number[] {
  const lines: number[] = [];
  let line = 1;
  let depth = 0;
  let inString = false;
  let expectingElement = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (character === '\n') line++;
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') inString = false;
      continue;
    }
    if (depth === 1 && expectingElement && !/\s/.test(character) && character !== ']') {
      lines.push(line);
      expectingElement = false;
    }
    if (character === '"') inString = true;
    else if (character === '[' || character === '{') {
      depth++;
      if (depth === 1) expectingElement = true;
    } else if (character === ']' || character === '}') depth--;
    else if (character === ',' && depth === 1) expectingElement = true;
  }
  return lines;
}

/** The line of a JSON.parse error, when its message names a position ("… at position 42"). */
export function lineOfParseError(text: string, error: Error): number | undefined {
  const match = /position (\d+)/.exec(error.message);
  if (!match) return undefined;
  const position = Math.min(Number(match[1]), text.length);
  let line = 1;
  for (let index = text.indexOf('\n'); index >= 0 && index < position; index = text.indexOf('\n', index + 1)) line++;
  return line;
}
