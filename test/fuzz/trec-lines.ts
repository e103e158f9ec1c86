// The data lines of a mutated TREC file as trec_eval splits them (spaces and tabs; `#` comments
// and blank lines skipped), the fuzz targets' independent view of what a reader must have read.
export function trecDataLines(bytes: Uint8Array, comment: (line: string) => boolean): string[][] {
  return Buffer.from(bytes)
    .toString('utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !comment(l))
    .map((l) => l.split(/[ \t\r]+/).filter((t) => t !== ''));
}
