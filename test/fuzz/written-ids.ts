// Integer ids as a file writes them, the fuzz targets' view of what a reader must keep exactly:
// BEIR's Python loader and pycocotools read JSON integers of any size (json.loads) and str() them.

/** The integer `_id`s of a BEIR JSON Lines file. */
export function writtenIntegerIds(bytes: Uint8Array): string[] {
  return Buffer.from(bytes)
    .toString('utf8')
    .split('\n')
    .map((l) => /^\s*\{\s*"_id"\s*:\s*(-?\d+)\s*[,}]/.exec(l)?.[1])
    .filter((x): x is string => x !== undefined);
}

/** The integer values of the id fields `keys` anywhere in a JSON document. */
export function writtenIdFields(bytes: Uint8Array, keys: readonly string[]): string[] {
  const re = new RegExp(`"(?:${keys.join('|')})"\\s*:\\s*(-?\\d+)\\s*[,}\\]]`, 'g');
  return [...Buffer.from(bytes).toString('utf8').matchAll(re)].map((m) => m[1]!);
}
