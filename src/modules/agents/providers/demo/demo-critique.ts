import { mix } from './hash';
import type { Voice } from './demo-voices';
import type { TaskWords } from './task-words';

export interface DemoCritique {
  readonly issues: string[];
  readonly suggestions: string[];
  readonly severity: number;
}

/** Harsh in round 1, milder each round (severity −2 per round, fewer issues) as positions settle. */
export function demoCritique(
  voice: Voice,
  w: TaskWords,
  seed: number,
  targetId: string,
  round: number,
): DemoCritique {
  const later = round > 1 ? Math.floor(round) - 1 : 0;
  const severity = Math.min(10, Math.max(0, voice.severity - 2 * later));
  const issues: string[] = [];
  if (later >= 2) {
    issues.push(voice.minorIssue(w, targetId));
  } else {
    const start = mix(seed, 21);
    for (let i = 0; i < 3 - later; i++) {
      const line = voice.issues[(start + i) % voice.issues.length] ?? voice.issues[0];
      issues.push(line(w, targetId));
    }
  }
  const suggestions: string[] = [];
  const first = mix(seed, 22);
  for (let i = 0; i < (later >= 2 ? 1 : 2); i++) {
    const line = voice.suggestions[(first + i) % voice.suggestions.length] ?? voice.suggestions[0];
    suggestions.push(line(w, targetId));
  }
  return { issues, suggestions, severity };
}
