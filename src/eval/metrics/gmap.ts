/**
 * Geometric mean average precision — `GMAP` (`GMAP(rel=ℓ)`), trec_eval `gm_map`.
 *
 *   GMAP = exp( (1/|Q|) Σ_q ln max(AP_q, 10⁻⁵) )
 *
 * It rewards systems that do well on every query rather than very well on some. trec_eval
 * (m_gm_map.c; te_calc_avg_meas_s_gm in meas_avg.c) keeps ln max(AP_q, 10⁻⁵) as each query's value
 * and prints only the summary; the per-query value here is the same logarithm, so a paired test on
 * it tests the difference in GMAP. A qrels query the run lacks has AP 0 under -c: ln 10⁻⁵.
 */
export const MIN_GEO_MEAN = 0.00001;

/** A query's GMAP value: ln max(AP, 10⁻⁵). */
export function logAp(ap: number): number {
  return Math.log(Math.max(ap, MIN_GEO_MEAN));
}
