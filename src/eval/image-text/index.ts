/** Image–text retrieval measures (CLIP_benchmark's recall, RR, MedR, MeanR) and their TREC form. */
export { imageTextRetrieval, type Direction, type DirectionResult, type ImageTextOptions, type ImageTextResult } from './retrieval.js';
export { DEFAULT_CUTOFFS, averageNames, measuresFromRanks, median, perQueryNames, type RankMeasures } from './measures.js';
export { imageTextQrels, imageTextRun, type ImageTextIds } from './trec.js';
