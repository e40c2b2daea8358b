import type { CritiqueOutput, VoteOutput } from './types';

export type Validation<T> = { ok: true; value: T } | { ok: false; error: string };

export const CRITIQUE_SCHEMA: Record<string, unknown> = {
  type: 'object',
  properties: {
    issues: { type: 'array', items: { type: 'string' } },
    suggestions: { type: 'array', items: { type: 'string' } },
    severity: { type: 'number', minimum: 0, maximum: 10 },
  },
  required: ['issues', 'suggestions', 'severity'],
  additionalProperties: false,
};

/** Vote and judge verdict: the choice is constrained to the ids on the ballot. */
export function choiceSchema(candidateIds: readonly string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: {
      choice: { type: 'string', enum: [...candidateIds] },
      confidence: { type: 'number', minimum: 0, maximum: 1 },
      reasoning: { type: 'string' },
    },
    required: ['choice', 'confidence', 'reasoning'],
    additionalProperties: false,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

function inRange(value: unknown, min: number, max: number): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= min && value <= max;
}

/**
 * The reply's structured object, or the JSON in its text (whole, fenced, or the outermost braces)
 * for adapters whose provider has no structured output.
 */
export function structuredPayload(reply: { text: string; object?: unknown }): unknown {
  if (reply.object !== undefined) return reply.object;
  const text = reply.text.trim();
  const fenced = /```(?:json)?\s*([\s\S]*?)```/.exec(text)?.[1];
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  const candidates = [text, fenced, start >= 0 && end > start ? text.slice(start, end + 1) : null];
  for (const candidate of candidates) {
    if (!candidate) continue;
    try {
      return JSON.parse(candidate) as unknown;
    } catch {
      // try the next form
    }
  }
  return undefined;
}

export function validateCritique(value: unknown): Validation<CritiqueOutput> {
  if (!isRecord(value)) return { ok: false, error: 'not a JSON object' };
  if (!isStringArray(value.issues))
    return { ok: false, error: 'issues must be an array of strings' };
  if (!isStringArray(value.suggestions)) {
    return { ok: false, error: 'suggestions must be an array of strings' };
  }
  if (!inRange(value.severity, 0, 10)) {
    return { ok: false, error: 'severity must be a number from 0 to 10' };
  }
  return {
    ok: true,
    value: { issues: value.issues, suggestions: value.suggestions, severity: value.severity },
  };
}

export function validateChoice(
  value: unknown,
  candidateIds: readonly string[],
): Validation<VoteOutput> {
  if (!isRecord(value)) return { ok: false, error: 'not a JSON object' };
  if (typeof value.choice !== 'string' || !candidateIds.includes(value.choice)) {
    return { ok: false, error: `choice must be one of: ${candidateIds.join(', ')}` };
  }
  if (!inRange(value.confidence, 0, 1)) {
    return { ok: false, error: 'confidence must be a number from 0 to 1' };
  }
  if (typeof value.reasoning !== 'string')
    return { ok: false, error: 'reasoning must be a string' };
  return {
    ok: true,
    value: { choice: value.choice, confidence: value.confidence, reasoning: value.reasoning },
  };
}
