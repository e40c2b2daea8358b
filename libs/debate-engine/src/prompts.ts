import type { CallKind, CritiqueMessage, DebateSpec, Participant, Tally } from './types';

export type PromptMessage = { role: 'user' | 'assistant'; content: string };

export interface Candidate {
  id: string;
  text: string;
}

const ROLE: Record<CallKind, string> = {
  proposal: 'Answer the question with your own well-reasoned position.',
  critique:
    'Critique another participant’s position: find concrete flaws, gaps and risks, and suggest fixes. ' +
    'Be fair; do not invent problems.',
  revision:
    'Revise your position in light of the critiques. Keep what holds up, fix what the critiques got ' +
    'right, and say nothing about the process: reply with the full revised answer.',
  vote: 'Vote for the position that best answers the question, judged on its merits alone.',
  judge:
    'You are the judge. Weigh the positions and the votes and name the position that best answers ' +
    'the question.',
  synthesis:
    'Write the final answer: build on the winning position and address the strongest dissent where ' +
    'it has a point.',
};

export function systemPrompt(participant: Participant, kind: CallKind): string {
  const persona = participant.persona.trim();
  const intro = `You are "${participant.id}", one of several AI agents in a structured debate.`;
  return [persona, intro, ROLE[kind]].filter(Boolean).join('\n\n');
}

function question(spec: DebateSpec): string {
  return `Question:\n${spec.task}`;
}

function context(spec: DebateSpec): string | null {
  return spec.context ? `Context you may rely on:\n${spec.context}` : null;
}

function user(...parts: (string | null)[]): PromptMessage[] {
  return [{ role: 'user', content: parts.filter((p) => p !== null).join('\n\n') }];
}

function ballot(candidates: readonly Candidate[]): string {
  return candidates.map((c) => `[${c.id}]\n${c.text}`).join('\n\n');
}

export function proposalPrompt(spec: DebateSpec): PromptMessage[] {
  return user(question(spec), context(spec), 'Give your answer and the reasoning behind it.');
}

export function critiquePrompt(spec: DebateSpec, target: Candidate): PromptMessage[] {
  return user(
    question(spec),
    `Position of ${target.id}:\n${target.text}`,
    'Reply with JSON: {"issues": string[], "suggestions": string[], "severity": number from 0 (sound) to 10 (fundamentally wrong)}.',
  );
}

export function revisionPrompt(
  spec: DebateSpec,
  ownPosition: string,
  critiques: readonly CritiqueMessage[],
): PromptMessage[] {
  const received =
    critiques.length === 0
      ? 'No critiques reached you this round.'
      : critiques
          .map(
            (c) =>
              `From ${c.participant} (severity ${c.critique.severity}/10):\n` +
              `Issues:\n${c.critique.issues.map((i) => `- ${i}`).join('\n')}\n` +
              `Suggestions:\n${c.critique.suggestions.map((s) => `- ${s}`).join('\n')}`,
          )
          .join('\n\n');
  return user(
    question(spec),
    context(spec),
    `Your current position:\n${ownPosition}`,
    `Critiques of your position:\n${received}`,
    'Write your revised position in full.',
  );
}

function choiceInstruction(candidates: readonly Candidate[]): string {
  const ids = candidates.map((c) => `"${c.id}"`).join(', ');
  return `Reply with JSON: {"choice": one of ${ids}, "confidence": number from 0 to 1, "reasoning": string}.`;
}

export function votePrompt(spec: DebateSpec, candidates: readonly Candidate[]): PromptMessage[] {
  return user(question(spec), `Positions:\n\n${ballot(candidates)}`, choiceInstruction(candidates));
}

export function judgePrompt(
  spec: DebateSpec,
  candidates: readonly Candidate[],
  tally: Tally,
): PromptMessage[] {
  const votes =
    tally.entries
      .map((e) => `- ${e.choice}: ${e.votes} vote(s), weight ${e.weight.toFixed(2)}`)
      .join('\n') || '- no votes';
  return user(
    question(spec),
    `Positions:\n\n${ballot(candidates)}`,
    `Votes so far:\n${votes}`,
    choiceInstruction(candidates),
  );
}

export function synthesisPrompt(
  spec: DebateSpec,
  winner: Candidate,
  dissent: Candidate | null,
): PromptMessage[] {
  return user(
    question(spec),
    `Winning position (${winner.id}):\n${winner.text}`,
    dissent ? `Strongest dissent (${dissent.id}):\n${dissent.text}` : 'There was no dissent.',
    'Write the final answer to the question.',
  );
}

/** Second attempt after a reply that failed validation: show it, say what was wrong. */
export function retryPrompt(
  messages: readonly PromptMessage[],
  badReply: string,
  error: string,
): PromptMessage[] {
  return [
    ...messages,
    { role: 'assistant', content: badReply },
    {
      role: 'user',
      content: `That reply is not valid (${error}). Reply again with only the JSON object.`,
    },
  ];
}
