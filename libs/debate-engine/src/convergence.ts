import type { ConvergenceStatus, ConvergenceThresholds } from './types';

export const DEFAULT_CONVERGENCE: ConvergenceThresholds = { converged: 0.85, diverging: 0.4 };

const WORD = /[\p{L}\p{N}]+/gu;

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

function termCounts(terms: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

/**
 * TF-IDF cosine over the two texts as the corpus, or null when it is degenerate (a text has no
 * words). Smoothed idf (ln((1+N)/(1+df)) + 1) keeps shared terms weighted: with plain idf a term
 * in both of two documents would weigh 0 and identical texts would have no similarity at all.
 */
export function tfidfCosine(a: string, b: string): number | null {
  const ca = termCounts(words(a));
  const cb = termCounts(words(b));
  if (ca.size === 0 || cb.size === 0) return null;
  // A sorted vocabulary sums in the same order whichever text comes first: exactly symmetric.
  const vocabulary = [...new Set([...ca.keys(), ...cb.keys()])].sort();
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const term of vocabulary) {
    const ta = ca.get(term) ?? 0;
    const tb = cb.get(term) ?? 0;
    const df = (ta > 0 ? 1 : 0) + (tb > 0 ? 1 : 0);
    const idf = Math.log(3 / (1 + df)) + 1;
    const wa = ta * idf;
    const wb = tb * idf;
    dot += wa * wb;
    na += wa * wa;
    nb += wb * wb;
  }
  return Math.min(1, Math.max(0, dot / Math.sqrt(na * nb)));
}

/** Jaccard over lower-cased whitespace-separated tokens (punctuation kept); two empty texts are alike. */
export function jaccard(a: string, b: string): number {
  const sa = new Set(a.toLowerCase().split(/\s+/).filter(Boolean));
  const sb = new Set(b.toLowerCase().split(/\s+/).filter(Boolean));
  const union = new Set([...sa, ...sb]).size;
  if (union === 0) return 1;
  let shared = 0;
  for (const token of sa) if (sb.has(token)) shared++;
  return shared / union;
}

/** Similarity in [0, 1], symmetric, 1 for identical texts: TF-IDF cosine, Jaccard when that is degenerate. */
export function textSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  return tfidfCosine(a, b) ?? jaccard(a, b);
}

/** All ≥ converged → converged; any < diverging → diverging; else (or nothing to compare) refining. */
export function classifyConvergence(
  similarities: readonly number[],
  thresholds: ConvergenceThresholds,
): ConvergenceStatus {
  if (similarities.length === 0) return 'refining';
  if (similarities.some((s) => s < thresholds.diverging)) return 'diverging';
  if (similarities.every((s) => s >= thresholds.converged)) return 'converged';
  return 'refining';
}
