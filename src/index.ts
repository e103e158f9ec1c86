/**
 * xmrbench's library API. Everything a script needs is exported from here; the CLI (src/cli) and
 * benchmarks (src/bench/) are built on the same functions.
 */
export { topK, topKSync, toBf16, isaPath, Bf16Docs } from './search/topk.js';
export type { Metric, TopKOptions, TopKResult } from './search/topk.js';
export type { IsaName } from './native.js';
export { ISA_NAMES, ISA_CHOICES } from './args.js';
export { XmrError } from './errors.js';
export type { XmrErrorCode } from './errors.js';
export { perturb, perturbation, project, copyFloats } from './perturb/perturb.js';
export type { PerturbNorm, PerturbOptions, ProjectOptions } from './perturb/perturb.js';
export { Bm25Ranker, RunFileRanker, RankedRun, createAnalyzer, words, LUCENE_ENGLISH_STOPWORDS } from './rankers/index.js';
export type { Ranker, Corpus, CorpusDocument, Query, Queries, Bm25Options, Analyzer, AnalyzerOptions, StemmerOption, StopwordsOption } from './rankers/index.js';
export { Tokenizer } from './tokenize/tokenizer.js';
export type { EncodeOptions, BatchEncoding, Encoding } from './tokenize/tokenizer.js';
export type { VocabOptions } from './tokenize/spec.js';
export { buildWordPieceVocab } from './tokenize/vocab-builder.js';
export type { WordPieceVocabOptions } from './tokenize/vocab-builder.js';
export type { Encoder, EncodeRole, EncoderCallOptions } from './encoders/encoder.js';
export { NativeTextEncoder, tokenizeTexts } from './encoders/native-text-encoder.js';
export type { NativeTextEncoderOptions } from './encoders/native-text-encoder.js';
export { DualEncoder, loadDualEncoder, saveDualEncoder, readCheckpointFile, exportDualEncoder, sequencesFromBatch, concatSequences, EXPORT_FORMAT, EXPORT_VERSION } from './encoders/dual-encoder-model.js';
export type { Sequences, DualEncoderShape, CheckpointInfo, ExportManifest } from './encoders/dual-encoder-model.js';
export { DualEncoderTrainer, resolveTrainerOptions } from './train/trainer.js';
export type { TrainerOptions, StepStats, Batches, AdvMode } from './train/trainer.js';
export { trainDualEncoder, loadTrainingPairs, loadTokenizer } from './train/train.js';
export type { TrainOptions, TrainProgress, TrainResult, CodeSwitchOptions, NegativeMiner } from './train/train.js';
export { mineHardNegatives } from './rankers/hard-negatives.js';
export { evaluateLanguagePairs, searchDepth } from './eval/language-pairs.js';
export type { PairScore } from './eval/language-pairs.js';
export { DenseRanker, rankedRunFromTopK } from './rankers/dense.js';
export type { DenseRankerOptions } from './rankers/dense.js';
export { evaluate, printfFixed } from './eval/evaluate.js';
export type { Evaluation, EvaluateOptions, EvalWarning } from './eval/evaluate.js';
export { parseMeasure, parseMeasures, KNOWN_MEASURES } from './eval/measures.js';
export { pairedTTest, wilcoxonSignedRank, randomizationTest, randomizationTestParallel, bootstrapCI, adjustPValues, cohensDz, winTieLoss } from './eval/significance/index.js';
export { compareSystems, formatComparison } from './eval/compare.js';
export { readRun, readQrels, writeRun, writeQrels, Run, RunBuilder, Qrels, QrelsBuilder } from './data/trec/index.js';
export { loadBeir } from './data/beir.js';
export { loadConfig, validateConfig } from './experiment/config.js';
export type { ExperimentConfig } from './experiment/config.js';
export { runExperiment } from './experiment/execute.js';
export { buildPlan } from './experiment/plan.js';
export type { Plan, Step } from './experiment/plan.js';
export type { Results } from './experiment/results.js';
