import type { DebateResult } from '@aragora/debate-engine';
import type { DebateMessageEntity, DebateVoteEntity } from './debate-records.entity';
import type { DebateEntity } from './debate.entity';
import type { LoggedEvent } from './debate-records.repository';
import type { DebateSummaryRow } from './debates.repository';

export interface DebateLinks {
  self: string;
  events: string;
  votes: string;
  cancel: string;
  fork: string;
  export: string;
}

export function linksOf(id: string): DebateLinks {
  const self = `/api/v1/debates/${id}`;
  return {
    self,
    events: `${self}/events`,
    votes: `${self}/votes`,
    cancel: `${self}/cancel`,
    fork: `${self}/fork`,
    export: `${self}/export`,
  };
}

export function websocketUrl(id: string): string {
  return `/ws?debate_id=${id}`;
}

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

function messageView(m: DebateMessageEntity) {
  return {
    id: m.messageId,
    kind: m.kind,
    round: m.round,
    agent: m.participant,
    content: m.content,
    ...(m.data && { data: m.data }),
    usage: { input_tokens: m.inputTokens, output_tokens: m.outputTokens },
    created_at: m.createdAt.toISOString(),
  };
}

/** The whole debate (SPEC §2.5): task, agents, rounds with messages and critiques, votes, verdict. */
export function debateView(
  row: DebateEntity,
  messages: readonly DebateMessageEntity[],
  humanVotes: readonly DebateVoteEntity[],
  positionInQueue: number | undefined,
) {
  const result = row.result as unknown as Partial<DebateResult> | null;
  const byRound = new Map<number, ReturnType<typeof messageView>[]>();
  const critiques = new Map<number, ReturnType<typeof messageView>[]>();
  const votes: ReturnType<typeof messageView>[] = [];
  let synthesis: ReturnType<typeof messageView> | null = null;
  let verdict: ReturnType<typeof messageView> | null = null;
  for (const m of messages) {
    const view = messageView(m);
    if (m.kind === 'vote') votes.push(view);
    else if (m.kind === 'synthesis') synthesis = view;
    else if (m.kind === 'judge') verdict = view;
    else {
      const target = m.kind === 'critique' ? critiques : byRound;
      target.set(m.round, [...(target.get(m.round) ?? []), view]);
    }
  }
  const rounds = [...new Set([...byRound.keys(), ...critiques.keys()])]
    .sort((a, b) => a - b)
    .map((round) => ({
      round,
      messages: byRound.get(round) ?? [],
      critiques: critiques.get(round) ?? [],
    }));
  const consensus = result?.consensus
    ? {
        reached: result.consensus.reached,
        mode: result.consensus.mode,
        method: result.consensus.method,
        confidence: result.consensus.confidence,
        winner: result.consensus.winner,
        judge: result.consensus.judge,
        final_answer: result.consensus.finalAnswer,
        supporting_agents: result.consensus.supportingAgents,
        dissenting_agents: result.consensus.dissentingAgents,
      }
    : null;
  return {
    id: row.id,
    status: row.status,
    status_reason: row.statusReason,
    task: row.task,
    context: row.context,
    domain: row.domain,
    consensus_mode: row.consensusMode,
    rounds_requested: row.rounds,
    metadata: row.metadata,
    budget: row.budget,
    agents: row.participants.map((p) => ({
      participant: p.id,
      agent: p.agent,
      provider: p.provider,
      model: p.model,
    })),
    parent_id: row.parentId,
    from_round: row.fromRound,
    ...(positionInQueue !== undefined && { position_in_queue: positionInQueue }),
    rounds,
    votes,
    human_votes: humanVotes.map((v) => ({
      choice: v.choice,
      intensity: v.intensity,
      reasoning: v.reasoning,
      counted: v.counted,
      cast_at: v.updatedAt.toISOString(),
    })),
    judge_verdict: verdict,
    synthesis,
    consensus,
    dissent: result?.dissent ?? [],
    agent_failures: result?.agentFailures ?? [],
    convergence: result?.convergence ?? [],
    rounds_completed: result?.roundsCompleted ?? null,
    early_stop: result?.earlyStop ?? null,
    timings: {
      created_at: row.createdAt.toISOString(),
      started_at: iso(row.startedAt),
      finished_at: iso(row.finishedAt),
      duration_ms:
        row.startedAt && row.finishedAt ? row.finishedAt.getTime() - row.startedAt.getTime() : null,
    },
    usage: { input_tokens: row.inputTokens, output_tokens: row.outputTokens },
    last_seq: row.lastSeq,
    websocket_url: websocketUrl(row.id),
    links: linksOf(row.id),
  };
}
export type DebateView = ReturnType<typeof debateView>;

export function summaryView(row: DebateSummaryRow) {
  return {
    id: row.id,
    status: row.status,
    status_reason: row.status_reason,
    task: row.task,
    domain: row.domain,
    consensus_mode: row.consensus_mode,
    rounds_requested: row.rounds,
    agents: row.participants.map((p) => p.id),
    parent_id: row.parent_id,
    consensus:
      row.consensus_reached === null
        ? null
        : {
            reached: row.consensus_reached,
            winner: row.consensus_winner,
            confidence: row.consensus_confidence,
          },
    created_at: new Date(row.created_at).toISOString(),
    finished_at: row.finished_at ? new Date(row.finished_at).toISOString() : null,
    links: { self: linksOf(row.id).self },
  };
}

export function eventView(e: LoggedEvent) {
  return {
    seq: e.seq,
    type: e.type,
    ts: e.ts.toISOString(),
    ...(e.round !== null && { round: e.round }),
    ...(e.agent !== null && { agent: e.agent }),
    data: e.data,
  };
}
