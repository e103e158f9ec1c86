/**
 * trec_eval's experimental gain measures — `G`, `binG`, `ndcg_rel`, `Rndcg` (m_G.c, m_binG.c,
 * m_ndcg_rel.c, m_Rndcg.c; Buckley 2008) — with its default gains: a document's gain is its level
 * when positive, else 0 (as nDCG's, metrics/ndcg.ts). ideal[0 … nIdeal) holds the query's positive
 * levels sorted descending: the gain of the ideal ranking's i-th document, 0 after it. Each is
 * computed in its file's order of operations, so that every double is trec_eval's.
 *
 *   G       = Σ_i g_i / log2(2 + cost_i − got_i) / Σ ideal,  got_i = Σ_{j ≤ i} g_j,
 *             cost_i = Σ_{j ≤ i} max(ideal_j, 1): a document gains more when those before it fell short
 *   BinG    = Σ_{relevant i} 1 / log2(2 + non-relevant before i) / R          (rel ≥ ℓ; 0 with none retrieved)
 *   nDCGRel = nDCG@(i+1) averaged over the nIdeal documents of positive gain: at each one retrieved
 *             (IDCG truncated at nIdeal), and the final DCG/IDCG for each one not retrieved
 *   RnDCG   = nDCG averaged at the ranks where the ideal gain changes (the R of each level), and at
 *             the ranking's end when that comes after the last positive ideal gain; 0 when R = 0 at ℓ
 */
const gainOf = (label: number): number => (label > 0 ? label : 0);

export function gKernel(labels: Int32Array, n: number, ideal: Int32Array, nIdeal: number): number {
  let got = 0;
  let cost = 0;
  let g = 0;
  for (let i = 0; i < n; i++) {
    const gain = gainOf(labels[i]!);
    got += gain;
    cost += i < nIdeal ? ideal[i]! : 1; // m_G.c's min_cost 1 once the ideal ranking has nothing left to gain
    if (gain !== 0) g += gain / Math.log2(2 + cost - got);
  }
  let total = 0;
  for (let i = 0; i < nIdeal; i++) total += ideal[i]!;
  return total > 0 ? g / total : 0;
}

export function binGKernel(labels: Int32Array, n: number, level: number, numRel: number): number {
  let rel = 0;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i]! < level) continue;
    rel++;
    sum += 1 / Math.log2(3 + i - rel);
  }
  return rel === 0 ? 0 : sum / numRel;
}

export function ndcgRelKernel(labels: Int32Array, n: number, ideal: Int32Array, nIdeal: number): number {
  let dcg = 0;
  let idcg = 0;
  let sum = 0;
  let relRet = 0;
  for (let i = 0; i < n; i++) {
    const gain = gainOf(labels[i]!);
    if (gain !== 0) dcg += gain / Math.log2(i + 2);
    if (i < nIdeal) idcg += ideal[i]! / Math.log2(i + 2);
    if (gain > 0) {
      sum += dcg / idcg;
      relRet++;
    }
  }
  for (let i = n; i < nIdeal; i++) idcg += ideal[i]! / Math.log2(i + 2);
  sum += ((nIdeal - relRet) * dcg) / idcg; // NaN when nothing gains (0/0): then 0, as m_ndcg_rel.c's `sum > 0` test gives
  return sum > 0 ? sum / nIdeal : 0;
}

export function rndcgKernel(labels: Int32Array, n: number, numRel: number, ideal: Int32Array, nIdeal: number): number {
  if (numRel === 0) return 0;
  const idealAt = (i: number): number => (i < nIdeal ? ideal[i]! : 0);
  let dcg = 0;
  let idcg = 0;
  let sum = 0;
  let points = 0;
  let current = idealAt(0); // the top level's gain, before the first document
  let old = current;
  const atChange = (): void => {
    if (old === current) return;
    if (idcg > 0) {
      sum += dcg / idcg;
      points++;
    }
    old = current;
  };
  let i = 0;
  for (; i < n && current > 0; i++) {
    const gain = gainOf(labels[i]!);
    current = idealAt(i);
    atChange();
    if (gain !== 0) dcg += gain / Math.log2(i + 2);
    if (current > 0) idcg += current / Math.log2(i + 2);
  }
  if (i < n) {
    for (; i < n; i++) {
      const gain = gainOf(labels[i]!);
      if (gain !== 0) dcg += gain / Math.log2(i + 2);
    }
    if (idcg > 0) {
      sum += dcg / idcg;
      points++;
    }
  }
  for (; current > 0; i++) {
    current = idealAt(i);
    atChange();
    if (current > 0) idcg += current / Math.log2(i + 2);
  }
  return sum / points;
}
