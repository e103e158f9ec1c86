/**
 * Effect sizes for paired per-query scores.
 *
 * Cohen's d_z (Cohen 1988, §2.3.5; Lakens 2013): the standardized mean difference of paired
 * observations, d_z = mean(b − a) / sd(b − a), sd with ddof = 1. It equals t / √n of the paired
 * t-test. NaN when every difference is zero; ±∞ when the differences are all equal and non-zero.
 *
 * Win/tie/loss counts: the number of queries where b scores higher than, equal to (exactly), or
 * lower than a.
 */
import { mean, pairedDifferences, sampleVariance, type Scores } from './paired.js';

/**
 * Cohen's d_z of system `b` against baseline `a`.
 * @throws TypeError / RangeError for bad input; n < 2 is a RangeError.
 */
export function cohensDz(a: Scores, b: Scores): number {
  const d = pairedDifferences('cohensDz', a, b, 2);
  const m = mean(d);
  return m / Math.sqrt(sampleVariance(d, m));
}

export interface WinTieLoss {
  /** queries where b > a */
  wins: number;
  /** queries where b = a */
  ties: number;
  /** queries where b < a */
  losses: number;
}

/**
 * Counts the queries system `b` wins, ties and loses against baseline `a`.
 * @throws TypeError / RangeError for bad input.
 */
export function winTieLoss(a: Scores, b: Scores): WinTieLoss {
  const d = pairedDifferences('winTieLoss', a, b, 0);
  const out: WinTieLoss = { wins: 0, ties: 0, losses: 0 };
  for (const v of d) {
    if (v > 0) out.wins++;
    else if (v < 0) out.losses++;
    else out.ties++;
  }
  return out;
}
