/**
 * The conformance fixtures' normalization of a program's output, so heaplab's run and a real
 * interpreter's recording compare byte for byte: addresses of six or more hex digits become
 * `0xADDR1`, `0xADDR2`... numbered by first appearance (so "same id" and "different id" survive),
 * and traceback file paths keep only the file name.
 */
export function normalizeOutput(text: string): string {
  const seen = new Map<string, number>();
  return text
    .replace(/0x[0-9a-fA-F]{6,}/g, (m) => {
      const k = m.toLowerCase();
      if (!seen.has(k)) seen.set(k, seen.size + 1);
      return `0xADDR${seen.get(k)}`;
    })
    .replace(/File "[^"]*\/([^"/]+)"/g, 'File "$1"');
}
