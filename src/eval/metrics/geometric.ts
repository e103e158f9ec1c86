/**
 * Geometric means over queries — `GMAP` (trec_eval `gm_map`) and `GMBpref` (`gm_bpref`):
 *
 *   GMAP = exp( (1/|Q|) Σ_q ln max(AP_q, 10⁻⁵) ),   GMBpref likewise of Bpref
 *
 * They reward systems that do well on every query rather than very well on some. trec_eval
 * (m_gm_map.c, m_gm_bpref.c; te_calc_avg_meas_s_gm in meas_avg.c) keeps ln max(x, 10⁻⁵) as each
 * query's value and prints only the summary; the per-query value here is the same logarithm, so a
 * paired test on it tests the difference of the geometric means. A qrels query the run lacks scores
 * 0 under -c: ln 10⁻⁵.
 */
export const MIN_GEO_MEAN = 0.00001;

/** A query's value under a geometric mean: ln max(x, 10⁻⁵). */
export function geoLog(x: number): number {
  return Math.log(Math.max(x, MIN_GEO_MEAN));
}
