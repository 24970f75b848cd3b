/**
 * The column names of a CSV file: its first record, read in the browser so the user can map
 * columns before uploading. Follows RFC 4180 quoting ("a, b" and "say ""hi""").
 */
export function parseCsvHeader(text: string): string[] {
  const source = text.replace(/^\uFEFF/, '');
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < source.length; i += 1) {
    const char = source[i];
    if (quoted) {
      if (char === '"' && source[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
      continue;
    }
    if (char === '"') quoted = true;
    else if (char === ',') {
      cells.push(cell.trim());
      cell = '';
    } else if (char === '\n' || char === '\r') break;
    else cell += char;
  }
  cells.push(cell.trim());
  return cells.filter((name, index) => name !== '' || index < cells.length - 1);
}

/** Reads only the start of the file: the header of a 50 MB export is in its first kilobytes. */
export async function readCsvHeader(file: Blob): Promise<string[]> {
  const text = await file.slice(0, 64 * 1024).text();
  return parseCsvHeader(text);
}
