import { abortReason } from '@aragora/resilience';
import { describeError } from './errors';
import type { EventLog } from './event-log';
import type { AgentInvocation, AgentPort, AgentReply } from './ports';
import { retryPrompt, systemPrompt, type Candidate, type PromptMessage } from './prompts';
import { structuredPayload, type Validation } from './schemas';
import type { AgentFailure, CallKind, DebateSpec, Participant, TokenUsage } from './types';

export interface CallContext {
  agents: AgentPort;
  log: EventLog;
  signal: AbortSignal;
  spec: DebateSpec;
}

export interface CallPlan {
  participant: Participant;
  kind: CallKind;
  round: number;
  messageId: string;
  messages: PromptMessage[];
  /** The critiqued participant (critiques only). */
  target?: string;
  candidates?: Candidate[];
  ownPosition?: string;
}

export interface StructuredOutput<T> {
  name: string;
  schema: Record<string, unknown>;
  validate: (payload: unknown) => Validation<T>;
}

export type CallOutcome<T> =
  | { ok: true; text: string; value: T; usage: TokenUsage }
  | { ok: false; failure: AgentFailure; usage: TokenUsage };

const NO_USAGE: TokenUsage = { inputTokens: 0, outputTokens: 0 };

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    inputTokens: a.inputTokens + b.inputTokens,
    outputTokens: a.outputTokens + b.outputTokens,
  };
}

const count = (n: unknown): number =>
  typeof n === 'number' && Number.isFinite(n) && n > 0 ? n : 0;

/** An adapter's reply as the engine relies on it; a malformed one is the call's failure. */
function checkReply(reply: unknown): AgentReply {
  const r = reply as Partial<AgentReply> | null | undefined;
  if (typeof r?.text !== 'string') throw new TypeError('malformed reply: text is not a string');
  const usage = (r.usage ?? {}) as Partial<TokenUsage>;
  return {
    text: r.text,
    ...(r.object === undefined ? {} : { object: r.object }),
    usage: { inputTokens: count(usage.inputTokens), outputTokens: count(usage.outputTokens) },
  };
}

function invocation(ctx: CallContext, plan: CallPlan, messages: PromptMessage[]): AgentInvocation {
  return {
    participant: plan.participant.id,
    agent: plan.participant.agent,
    persona: plan.participant.persona,
    kind: plan.kind,
    round: plan.round,
    messageId: plan.messageId,
    task: ctx.spec.task,
    system: systemPrompt(plan.participant, plan.kind),
    messages,
    stream: false,
    ...(plan.candidates ? { candidates: plan.candidates } : {}),
    ...(plan.ownPosition !== undefined ? { ownPosition: plan.ownPosition } : {}),
  };
}

/** One invoke; an abort propagates (it is not the agent's failure), anything else is a failed call. */
async function invoke(
  ctx: CallContext,
  call: AgentInvocation,
): Promise<{ reply: AgentReply } | { error: string }> {
  ctx.signal.throwIfAborted();
  try {
    return { reply: checkReply(await ctx.agents.invoke(call, ctx.signal)) };
  } catch (error) {
    if (ctx.signal.aborted) throw abortReason(ctx.signal);
    return { error: describeError(error) };
  }
}

async function fail<T>(
  ctx: CallContext,
  plan: CallPlan,
  reason: string,
  attempts: number,
  usage: TokenUsage,
): Promise<CallOutcome<T>> {
  const failure: AgentFailure = {
    participant: plan.participant.id,
    kind: plan.kind,
    round: plan.round,
    reason,
    target: plan.target ?? null,
  };
  await ctx.log.emit({
    type: 'agent_error',
    round: plan.round,
    agent: plan.participant.id,
    data: { ...failure, attempts },
  });
  return { ok: false, failure, usage };
}

/** Free text (proposal, revision, synthesis), streamed as token_delta; an empty reply is a failure. */
export async function callText(
  ctx: CallContext,
  plan: CallPlan & { kind: 'proposal' | 'revision' | 'synthesis' },
): Promise<CallOutcome<string>> {
  const call: AgentInvocation = {
    ...invocation(ctx, plan, plan.messages),
    stream: true,
    onDelta: (text) =>
      ctx.log.delta({
        type: 'token_delta',
        round: plan.round,
        agent: plan.participant.id,
        data: { messageId: plan.messageId, kind: plan.kind, text },
      }),
  };
  const result = await invoke(ctx, call);
  if ('error' in result) return fail(ctx, plan, result.error, 1, NO_USAGE);
  const usage = result.reply.usage;
  const text = result.reply.text.trim();
  if (text === '') return fail(ctx, plan, 'empty reply', 1, usage);
  return { ok: true, text, value: text, usage };
}

/** Structured output, validated; an invalid reply is asked again once, then the call has failed. */
export async function callStructured<T>(
  ctx: CallContext,
  plan: CallPlan,
  output: StructuredOutput<T>,
): Promise<CallOutcome<T>> {
  let messages = plan.messages;
  let usage = NO_USAGE;
  let lastError = '';
  for (let attempt = 1; attempt <= 2; attempt++) {
    const call = {
      ...invocation(ctx, plan, messages),
      output: { name: output.name, schema: output.schema },
    };
    const result = await invoke(ctx, call);
    if ('error' in result) return fail(ctx, plan, result.error, attempt, usage);
    usage = addUsage(usage, result.reply.usage);
    const checked = output.validate(structuredPayload(result.reply));
    if (checked.ok) return { ok: true, text: result.reply.text, value: checked.value, usage };
    lastError = checked.error;
    messages = retryPrompt(plan.messages, result.reply.text, checked.error);
  }
  return fail(ctx, plan, `invalid structured output: ${lastError}`, 2, usage);
}
