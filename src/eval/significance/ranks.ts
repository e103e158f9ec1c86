/**
 * Average ranks ("midranks", scipy's `rankdata(method='average')`), shared by the rank tests
 * (Wilcoxon signed-rank, Mann–Whitney U): tied values share the mean of the ranks they span, and
 * the sizes of the tie groups feed each test's tie correction.
 */

/** Average ranks (1-based) of `x` and the sizes of its groups of equal values. */
export function averageRanks(x: Float64Array): { ranks: Float64Array; tieGroups: number[] } {
  const order = Array.from(x.keys()).sort((i, j) => (x[i] as number) - (x[j] as number) || i - j);
  const ranks = new Float64Array(x.length);
  const tieGroups: number[] = [];
  for (let start = 0; start < order.length; ) {
    let end = start + 1;
    while (end < order.length && x[order[end] as number] === x[order[start] as number]) end++;
    const rank = (start + 1 + end) / 2;
    for (let k = start; k < end; k++) ranks[order[k] as number] = rank;
    tieGroups.push(end - start);
    start = end;
  }
  return { ranks, tieGroups };
}
