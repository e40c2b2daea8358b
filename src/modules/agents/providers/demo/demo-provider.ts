import { abortReason, sleep } from '@aragora/resilience';
import type { AppConfig } from '../../../../config';
import {
  ProviderCallError,
  type AgentTaskHint,
  type LlmProvider,
  type ProviderEvent,
  type ProviderRequest,
  type ProviderResult,
} from '../provider.types';
import { demoCritique } from './demo-critique';
import { positionText, synthesisText } from './demo-text';
import { demoJudgement, demoVote, type DemoVote } from './demo-vote';
import { voiceOf } from './demo-voices';
import { hashString, mix } from './hash';
import { mulberry32, type Prng } from './prng';
import { taskWords } from './task-words';

/** `ARAGORA_DEMO_LATENCY_MS` as parsed by the config schema (`200-800` → {min: 200, max: 800}). */
export type DemoLatency = AppConfig['demo']['latencyMs'];

export interface DemoProviderOptions {
  /** per call, uniform in [min, max]; 0/0 = no delay at all (no timer is scheduled) */
  readonly latencyMs: DemoLatency;
  /** 0–1: share of calls that throw ProviderCallError (kind 'simulated', status 503) */
  readonly failureRate: number;
  /** seeds the PRNG behind latency and failures */
  readonly seed: number;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const FINISH_REASON = 'stop';

/**
 * Offline provider for the embedded default, the tests and the benchmarks. The text of an answer
 * is a pure function of the hint (kind, task, round, persona, participant, candidates); latency
 * and failures follow a seeded PRNG, two draws per call in call order.
 */
export class DemoProvider implements LlmProvider {
  readonly id = 'demo' as const;
  private readonly random: Prng;
  private readonly min: number;
  private readonly span: number;
  private readonly failureRate: number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(options: DemoProviderOptions) {
    const { min, max } = options.latencyMs;
    if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && min <= max)) {
      throw new RangeError(`demo latency must satisfy 0 ≤ min ≤ max, got ${min}-${max}`);
    }
    if (!(options.failureRate >= 0 && options.failureRate <= 1)) {
      throw new RangeError(`demo failure rate must be within 0–1, got ${options.failureRate}`);
    }
    this.random = mulberry32(options.seed);
    this.min = Math.floor(min);
    this.span = Math.floor(max) - this.min + 1;
    this.failureRate = options.failureRate;
    this.sleep = options.sleep ?? sleep;
  }

  // Not built on stream(): the benchmarks call this in a tight loop.
  async complete(request: ProviderRequest): Promise<ProviderResult> {
    const signal = request.signal;
    if (signal.aborted) throw abortReason(signal);
    // both draws on every call, so call n sees the same numbers whatever the settings
    const fails = this.random() < this.failureRate;
    const delay = this.min + Math.floor(this.random() * this.span);
    if (delay > 0) {
      await this.sleep(delay, signal);
      if (signal.aborted) throw abortReason(signal);
    }
    if (fails) {
      throw new ProviderCallError('demo provider: simulated failure (503 Service Unavailable)', {
        provider: 'demo',
        status: 503,
        kind: 'simulated',
      });
    }
    return answer(request);
  }

  async *stream(request: ProviderRequest): AsyncGenerator<ProviderEvent, void, undefined> {
    const result = await this.complete(request);
    const text = result.text;
    if (request.output !== undefined) {
      yield { type: 'delta', text };
    } else {
      // word-sized deltas, each word with the space after it, so they concatenate to the text
      let start = 0;
      while (start < text.length) {
        if (request.signal.aborted) throw abortReason(request.signal);
        const space = text.indexOf(' ', start);
        const end = space < 0 ? text.length : space + 1;
        yield { type: 'delta', text: text.slice(start, end) };
        start = end;
      }
    }
    yield { type: 'done', result };
  }
}

function answer(request: ProviderRequest): ProviderResult {
  const hint = request.hint ?? hintFromMessages(request);
  const w = taskWords(hint.task);
  const voice = voiceOf(hint.persona);
  // which sentences a participant uses: fixed per task, persona and participant
  const seed = hashString(hint.participant, mix(hashString(hint.persona, w.hash), 0));
  const candidates = hint.candidates ?? [];
  let text: string;
  let object: object | undefined;
  switch (hint.kind) {
    case 'proposal':
    case 'revision':
      text = positionText(voice, w, seed, hint.kind, hint.round);
      break;
    case 'synthesis':
      text = synthesisText(voice, w, candidates);
      break;
    case 'critique': {
      const target = candidates[0];
      const targetId = target?.id ?? 'this position';
      const targetSeed =
        target === undefined ? seed : hashString(target.text, hashString(targetId, seed));
      object = demoCritique(voice, w, targetSeed, targetId, hint.round);
      text = JSON.stringify(object);
      break;
    }
    case 'vote':
    case 'judge': {
      const verdict: DemoVote | undefined =
        hint.kind === 'vote'
          ? demoVote(voice, w, seed, candidates, hint.persona === 'contrarian')
          : demoJudgement(voice, w, seed, candidates);
      if (verdict === undefined) {
        throw new ProviderCallError(`demo provider: a ${hint.kind} needs at least one candidate`, {
          provider: 'demo',
          kind: 'malformed',
        });
      }
      object = verdict;
      text = JSON.stringify(verdict);
      break;
    }
  }
  const usage = { inputTokens: inputTokens(request), outputTokens: Math.ceil(text.length / 4) };
  return request.output !== undefined && object !== undefined
    ? { text, object, usage, finishReason: FINISH_REASON }
    : { text, usage, finishReason: FINISH_REASON };
}

/** Roughly four characters per token, as the real tokenizers average on English prose. */
function inputTokens(request: ProviderRequest): number {
  let chars = request.system?.length ?? 0;
  const messages = request.messages;
  for (let i = 0; i < messages.length; i++) chars += messages[i]?.content.length ?? 0;
  return Math.ceil(chars / 4);
}

/** Without a hint (a plain prompt) the last user message is answered as a proposal. */
function hintFromMessages(request: ProviderRequest): AgentTaskHint {
  let task = '';
  for (const message of request.messages) if (message.role === 'user') task = message.content;
  return { kind: 'proposal', task, round: 1, participant: request.model, persona: 'default' };
}
