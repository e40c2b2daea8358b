import type { DebateState, Participant, TextMessage } from './types';

/** `demo#2` → `demo`: repeated agents share one registered agent (and one rating). */
export function agentOf(participantId: string): string {
  return participantId.replace(/#\d+$/, '');
}

/** Agent names as requested (repeats allowed) → unique participant ids: demo, demo#2, demo#3 … */
export function participantIds(agents: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return agents.map((agent) => {
    const n = (seen.get(agent) ?? 0) + 1;
    seen.set(agent, n);
    return n === 1 ? agent : `${agent}#${n}`;
  });
}

/** SPEC §2.2: fewer real answers than max(2, ceil(n/2)) fails the debate. */
export function quorum(participantCount: number): number {
  return Math.max(2, Math.ceil(participantCount / 2));
}

function isPosition(message: { kind: string }): message is TextMessage {
  return message.kind === 'proposal' || message.kind === 'revision';
}

/** The participant's position history: its proposal, then each revision. */
export function positionHistory(state: DebateState, participantId: string): TextMessage[] {
  return state.messages.filter(
    (m): m is TextMessage => isPosition(m) && m.participant === participantId,
  );
}

export function currentPosition(state: DebateState, participantId: string): TextMessage | null {
  return positionHistory(state, participantId).at(-1) ?? null;
}

/** Participants whose proposal succeeded, in debate order; the others are out of the debate. */
export function liveParticipants(state: DebateState): Participant[] {
  const proposed = new Set(
    state.messages.filter((m) => m.kind === 'proposal').map((m) => m.participant),
  );
  return state.spec.participants.filter((p) => proposed.has(p.id));
}

export function participantById(state: DebateState, id: string): Participant {
  const participant = state.spec.participants.find((p) => p.id === id);
  if (!participant) throw new Error(`unknown participant ${id}`);
  return participant;
}

/** The round vote, judge and synthesis calls belong to. */
export function finalRound(state: DebateState): number {
  return Math.max(1, state.roundsCompleted);
}
