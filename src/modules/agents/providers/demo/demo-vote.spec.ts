import fc from 'fast-check';
import type { AgentTaskHint, Candidate, ProviderResult } from '../provider.types';
import { DemoProvider } from './demo-provider';
import { DEMO_PERSONAS } from './demo-voices';

const provider = new DemoProvider({ latencyMs: { min: 0, max: 0 }, failureRate: 0, seed: 3 });

const AGENTS = [
  { persona: 'default', participant: 'demo' },
  { persona: 'analyst', participant: 'demo-analyst' },
  { persona: 'skeptic', participant: 'demo-skeptic' },
  { persona: 'pragmatist', participant: 'demo-pragmatist' },
  { persona: 'contrarian', participant: 'demo-contrarian' },
] as const;

function ask(hint: AgentTaskHint, structured = true): Promise<ProviderResult> {
  return provider.complete({
    model: 'demo',
    messages: [{ role: 'user', content: hint.task }],
    output: structured ? { name: hint.kind, schema: { type: 'object' } } : undefined,
    hint,
    signal: new AbortController().signal,
  });
}

const isStringArray = (value: unknown): value is string[] =>
  Array.isArray(value) && value.every((item) => typeof item === 'string' && item.length > 0);

function expectCritique(result: ProviderResult): number {
  const object = result.object as Record<string, unknown>;
  expect(Object.keys(object).sort()).toEqual(['issues', 'severity', 'suggestions']);
  expect(isStringArray(object.issues) && object.issues.length > 0).toBe(true);
  expect(isStringArray(object.suggestions) && object.suggestions.length > 0).toBe(true);
  const severity = object.severity as number;
  expect(Number.isInteger(severity) && severity >= 0 && severity <= 10).toBe(true);
  expect(result.text).toBe(JSON.stringify(object));
  return severity;
}

function expectVerdict(result: ProviderResult, candidates: readonly Candidate[]): string {
  const object = result.object as Record<string, unknown>;
  expect(Object.keys(object).sort()).toEqual(['choice', 'confidence', 'reasoning']);
  expect(candidates.map((c) => c.id)).toContain(object.choice);
  const confidence = object.confidence as number;
  expect(confidence >= 0.6 && confidence <= 0.9).toBe(true);
  expect(typeof object.reasoning === 'string' && object.reasoning.length > 20).toBe(true);
  expect(result.text).toBe(JSON.stringify(object));
  return object.choice as string;
}

// any text, including empty, symbols only and non-Latin scripts
const task = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: 'grapheme', maxLength: 120 }),
  fc.lorem({ maxCount: 30 }),
);
const candidates = (minLength: number) =>
  fc.uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 24 }),
      text: fc.string({ maxLength: 400 }),
    }),
    { minLength, maxLength: 10, selector: (c) => c.id },
  );
const persona = fc.oneof(fc.constantFrom(...DEMO_PERSONAS), fc.string({ maxLength: 12 }));

describe('demo structured answers', () => {
  it('critiques are always {issues, suggestions, severity 0–10}', async () => {
    await fc.assert(
      fc.asyncProperty(
        task,
        persona,
        fc.string({ maxLength: 20 }),
        candidates(1).map((cs) => cs.slice(0, 1)),
        fc.integer({ min: 1, max: 12 }),
        async (t, p, participant, target, round) => {
          expectCritique(
            await ask({
              kind: 'critique',
              task: t,
              round,
              persona: p,
              participant,
              candidates: target,
            }),
          );
        },
      ),
    );
  });

  it('votes and verdicts always name a candidate with a confidence in 0.6–0.9', async () => {
    await fc.assert(
      fc.asyncProperty(
        task,
        persona,
        fc.string({ maxLength: 20 }),
        candidates(1),
        fc.constantFrom('vote' as const, 'judge' as const),
        async (t, p, participant, cs, kind) => {
          expectVerdict(
            await ask({ kind, task: t, round: 3, persona: p, participant, candidates: cs }),
            cs,
          );
        },
      ),
    );
  });

  it('everyone but the contrarian backs the same position; the contrarian dissents', async () => {
    await fc.assert(
      fc.asyncProperty(task, candidates(2), async (t, cs) => {
        const choices = await Promise.all(
          AGENTS.map(async (agent) =>
            expectVerdict(
              await ask({ kind: 'vote', task: t, round: 2, ...agent, candidates: cs }),
              cs,
            ),
          ),
        );
        const [first, ...rest] = choices.slice(0, 4);
        for (const choice of rest) expect(choice).toBe(first);
        expect(choices[4]).not.toBe(first);
        // a judge of any persona rules for the majority's position
        for (const agent of AGENTS) {
          const verdict = await ask({ kind: 'judge', task: t, round: 2, ...agent, candidates: cs });
          expect(expectVerdict(verdict, cs)).toBe(first);
        }
      }),
    );
  });

  it('picks different winners in different debates', async () => {
    const cs = AGENTS.map((agent) => ({
      id: agent.participant,
      text: `position of ${agent.persona}`,
    }));
    const winners = new Set<string>();
    for (let i = 0; i < 50; i++) {
      const result = await ask({
        kind: 'vote',
        task: `Question number ${i}?`,
        round: 2,
        ...AGENTS[0],
        candidates: cs,
      });
      winners.add(expectVerdict(result, cs));
    }
    expect(winners.size).toBeGreaterThanOrEqual(4);
  });

  it('with a single candidate, the contrarian votes for it too', async () => {
    const cs = [{ id: 'demo', text: 'the only position' }];
    const result = await ask({
      kind: 'vote',
      task: 'Only one?',
      round: 1,
      ...AGENTS[4],
      candidates: cs,
    });
    expect(expectVerdict(result, cs)).toBe('demo');
  });

  it('has persona-dependent confidence', async () => {
    const cs = AGENTS.map((agent) => ({ id: agent.participant, text: '' }));
    const levels = await Promise.all(
      AGENTS.map(async (agent) => {
        const result = await ask({
          kind: 'vote',
          task: 'Should we adopt GraphQL?',
          round: 2,
          ...agent,
          candidates: cs,
        });
        return (result.object as { confidence: number }).confidence;
      }),
    );
    expect(new Set(levels).size).toBeGreaterThanOrEqual(4);
  });

  it('critiques soften round by round', async () => {
    const target = [{ id: 'demo-skeptic', text: 'A cautious position about caching.' }];
    for (const agent of AGENTS) {
      const severities: number[] = [];
      for (let round = 1; round <= 6; round++) {
        const critique = await ask({
          kind: 'critique',
          task: 'Should we add a cache layer?',
          round,
          ...agent,
          candidates: target,
        });
        severities.push(expectCritique(critique));
        expect(critique.text).toContain('demo-skeptic');
      }
      for (let i = 1; i < severities.length; i++) {
        expect(severities[i]).toBeLessThanOrEqual(severities[i - 1] ?? 10);
      }
      expect(severities[0]).toBeGreaterThanOrEqual(5);
      expect(severities[0]).toBeGreaterThan(severities[2] ?? 10);
      expect(severities[5]).toBeLessThanOrEqual(1);
    }
  });

  it('returns the JSON text but no object when no structured output was asked for', async () => {
    const cs = [{ id: 'demo', text: 'x' }];
    const result = await ask(
      { kind: 'vote', task: 'Plain?', round: 1, ...AGENTS[0], candidates: cs },
      false,
    );
    expect(result.object).toBeUndefined();
    expect(JSON.parse(result.text)).toMatchObject({ choice: 'demo' });
  });

  it('refuses a vote without candidates as a failed call', async () => {
    await expect(
      ask({ kind: 'vote', task: 'Nobody?', round: 1, ...AGENTS[0], candidates: [] }),
    ).rejects.toMatchObject({
      name: 'ProviderCallError',
      details: { provider: 'demo', kind: 'malformed' },
    });
  });

  it('writes a synthesis from the winning position and the strongest dissent', async () => {
    const t = 'Should we migrate our monolith to microservices?';
    const cs: Candidate[] = [];
    for (const agent of AGENTS) {
      const revision = await ask({ kind: 'revision', task: t, round: 2, ...agent }, false);
      cs.push({ id: agent.participant, text: revision.text });
    }
    const votes = await Promise.all(
      AGENTS.map(
        async (agent) =>
          (await ask({ kind: 'vote', task: t, round: 2, ...agent, candidates: cs })).object as {
            choice: string;
          },
      ),
    );
    const synthesis = await ask(
      { kind: 'synthesis', task: t, round: 2, ...AGENTS[0], candidates: cs },
      false,
    );
    expect(synthesis.object).toBeUndefined();
    expect(synthesis.text).toContain(`the position of ${votes[0]?.choice} carried the debate`);
    expect(synthesis.text).toContain(`dissent came from ${votes[4]?.choice}`);
    const winner = cs.find((c) => c.id === votes[0]?.choice);
    // quotes an argument of the winning position
    expect(winner?.text.split('. ').some((s) => s.length > 20 && synthesis.text.includes(s))).toBe(
      true,
    );
  });
});
