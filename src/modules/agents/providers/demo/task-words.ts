import { hashString } from './hash';

/** What the templates need from a debate question, derived once per task and cached. */
export interface TaskWords {
  /** FNV-1a of the task text */
  readonly hash: number;
  /** the question, shortened for quoting */
  readonly topic: string;
  /** four subject phrases with an article (`the monolith`), padded with generic ones */
  readonly k: readonly [string, string, string, string];
  /** the same, capitalised for the start of a sentence */
  readonly K: readonly [string, string, string, string];
}

// Function words plus the verbs and adjectives that questions are phrased with: what is left
// tends to be the subject matter (nouns), which reads well after "the".
const STOP_WORDS = new Set(
  (
    'a an the and or but nor if then else so than that this these those there here to of in on at ' +
    'by for from with without into onto over under about as is are was were be been being am do ' +
    'does did doing done have has had having will would shall should can could may might must ' +
    'not no yes i me my we us our you your he she it its they them their what which who whom ' +
    'whose why how when where whether all any some each every more most less least much many ' +
    'very too also just only even still yet again once both either neither other another such ' +
    'own same new old good better best bad worse worst right wrong big small large high low ' +
    'long short first last next few one two three way ways thing things lot lots really quite ' +
    'use using used make making made get getting got go going move moving switch switching ' +
    'adopt adopting choose choosing pick build building implement implementing migrate ' +
    'migrating improve improving reduce reducing increase increasing replace replacing ' +
    'introduce introducing keep keeping start starting stop stopping consider considering ' +
    'need needs want wants think believe best-practice approach approaches option options ' +
    'pros cons vs versus instead rather today now future year years time per'
  ).split(' '),
);

// generic subjects for short questions, chosen to read well in every template slot
const PADDING = ['the plan', 'the cost', 'the current setup', 'the budget'] as const;
const TOPIC_MAX = 80;
const MAX_PHRASE_WORDS = 2;
const CACHE_LIMIT = 512;

const cache = new Map<string, TaskWords>();

/** Cached: the first call per task pays for the regex and the allocations, the rest is a lookup. */
export function taskWords(task: string): TaskWords {
  const hit = cache.get(task);
  if (hit !== undefined) return hit;
  const words = deriveTaskWords(task);
  // insertion-ordered Map: dropping the oldest entry keeps it bounded (FIFO is enough here)
  if (cache.size >= CACHE_LIMIT) {
    const oldest = cache.keys().next();
    if (oldest.done !== true) cache.delete(oldest.value);
  }
  cache.set(task, words);
  return words;
}

export function deriveTaskWords(task: string): TaskWords {
  const phrases = subjectPhrases(task);
  // a missing slot i gets PADDING[i] (or the next one not already used)
  for (let i = phrases.length; i < 4; i++) {
    const pad = [0, 1, 2, 3]
      .map((j) => PADDING[(i + j) % PADDING.length] ?? 'the plan')
      .find((p) => !phrases.includes(p));
    phrases.push(pad ?? 'the plan');
  }
  const at = (i: number): string => phrases[i] ?? 'the plan';
  const k = [at(0), at(1), at(2), at(3)] as const;
  const K = [capitalise(k[0]), capitalise(k[1]), capitalise(k[2]), capitalise(k[3])] as const;
  return { hash: hashString(task), topic: shorten(task), k, K };
}

/** Runs of content words (at most two), the four longest kept in order of appearance. */
function subjectPhrases(task: string): string[] {
  const tokens = task.match(/[\p{L}\p{N}][\p{L}\p{N}'+#.-]*/gu) ?? [];
  const phrases: string[] = [];
  let run: string[] = [];
  const flush = () => {
    const phrase = `the ${run.join(' ')}`;
    if (run.length > 0 && !phrases.includes(phrase)) phrases.push(phrase);
    run = [];
  };
  for (const raw of tokens) {
    const token = raw.replace(/[.'-]+$/u, '');
    const lower = token.toLowerCase();
    if (lower.length < 3 || STOP_WORDS.has(lower) || /^\p{N}+$/u.test(lower)) {
      flush();
      continue;
    }
    // keep deliberate capitals (PostgreSQL, GraphQL), drop sentence-initial ones
    run.push(/\p{Lu}/u.test(token.slice(1)) ? token : lower);
    if (run.length === MAX_PHRASE_WORDS) flush();
  }
  flush();
  if (phrases.length <= 4) return phrases;
  const longest = new Set(
    phrases
      .map((phrase, index) => ({ phrase, index }))
      .sort((a, b) => b.phrase.length - a.phrase.length || a.index - b.index)
      .slice(0, 4)
      .map((entry) => entry.phrase),
  );
  return phrases.filter((phrase) => longest.has(phrase));
}

function shorten(task: string): string {
  const flat = task
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(/[?.!:;,\s]+$/u, '');
  if (flat.length <= TOPIC_MAX) return flat;
  const cut = flat.lastIndexOf(' ', TOPIC_MAX);
  return `${flat.slice(0, cut > 20 ? cut : TOPIC_MAX)}…`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
