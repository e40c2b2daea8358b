import { currentPosition, liveParticipants } from './participants';
import type { CritiqueMessage, DebateState, DissentEntry, VoteMessage } from './types';

function latestCritique(
  state: DebateState,
  critic: string,
  target: string,
): CritiqueMessage | null {
  const found = state.messages.filter(
    (m): m is CritiqueMessage =>
      m.kind === 'critique' && m.participant === critic && m.target === target,
  );
  return found.at(-1) ?? null;
}

function voteOf(state: DebateState, voter: string): VoteMessage | null {
  return (
    state.messages.find((m): m is VoteMessage => m.kind === 'vote' && m.participant === voter) ??
    null
  );
}

/**
 * The non-winning position with the most vote weight; when every vote went to the winner, the
 * one whose author last critiqued the winner most severely. Ties keep debate order.
 */
export function strongestDissent(state: DebateState, winner: string): string | null {
  const byVotes = state.tally?.entries.find((e) => e.choice !== winner);
  if (byVotes) return byVotes.choice;
  let best: { id: string; severity: number } | null = null;
  for (const p of liveParticipants(state)) {
    if (p.id === winner) continue;
    const severity = latestCritique(state, p.id, winner)?.critique.severity ?? -1;
    if (!best || severity > best.severity) best = { id: p.id, severity };
  }
  return best?.id ?? null;
}

/** Every live position but the winner's, with its vote weight and its author's reasons. */
export function dissentEntries(state: DebateState, winner: string | null): DissentEntry[] {
  return liveParticipants(state).flatMap((p) => {
    const position = currentPosition(state, p.id);
    if (p.id === winner || !position) return [];
    const reasons: string[] = [];
    const vote = voteOf(state, p.id);
    if (vote && vote.vote.choice !== winner && vote.vote.reasoning.trim()) {
      reasons.push(vote.vote.reasoning);
    }
    if (winner !== null)
      reasons.push(...(latestCritique(state, p.id, winner)?.critique.issues ?? []));
    return [
      {
        participant: p.id,
        agent: p.agent,
        messageId: position.id,
        position: position.text,
        voteWeight: state.tally?.entries.find((e) => e.choice === p.id)?.weight ?? 0,
        reasons,
      },
    ];
  });
}
