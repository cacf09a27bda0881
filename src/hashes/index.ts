// The hash-intelligence stage's public surface.
export { canonicalType, EMPTY_FILE_HASHES, guessType, isEmptyFileHash, normaliseHash, type HashType, type NormalHash } from './normalize.ts';
export { distanceWords, isPdqHex, parsePdq, pdqDistance, PdqIndex, popcount32, PDQ_QUALITY_FLOOR, PDQ_THRESHOLD, type PdqHit } from './pdq.ts';
export { extractFileHashes, type ExtractResult, type FileHashRow } from './extract.ts';
export {
  detectFormat,
  listContentHash,
  parseCsvList,
  parseListFile,
  parseNcmecList,
  parseVicsList,
  VICS_US_CATEGORIES,
  type ListFormat,
  type ParsedList,
} from './lists.ts';
export { importHashList, type ImportOptions, type ImportSummary } from './import.ts';
export {
  computeSignals,
  DEFAULT_VIRAL,
  NOVELTY_ORDER,
  type FileSignal,
  type KnownEvidence,
  type Novelty,
  type ReportSignal,
  type ViralConfig,
  type ViralEvidence,
} from './signals.ts';
export { recomputeSignals, updateHashes, type UpdateSummary } from './update.ts';
export { lookupHash, type HashLookup } from './lookup.ts';
