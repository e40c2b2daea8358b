import fc from 'fast-check';
import { DebateEngine, quorum, type AgentInvocation, type ConsensusMode } from './index';
import { harness, never, reply, ScriptedAgents, spec, type Script } from './testing/fake-ports';

/** A stable pseudo-random number in [0, 100) for a call, so a scenario is a pure function. */
function roll(call: AgentInvocation, salt: number, attempt: number): number {
  let h = salt;
  for (const ch of `${call.messageId}/${attempt}`) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
  return h % 100;
}

const scenarioArb = fc.record({
  agents: fc.array(fc.constantFrom('demo', 'demo-analyst', 'demo-skeptic', 'gpt'), {
    minLength: 2,
    maxLength: 5,
  }),
  elos: fc.array(fc.integer({ min: 800, max: 2600 }), { minLength: 5, maxLength: 5 }),
  rounds: fc.integer({ min: 1, max: 3 }),
  mode: fc.constantFrom<ConsensusMode>(
    'majority',
    'supermajority',
    'unanimous',
    'judge',
    'hybrid',
    'none',
  ),
  failureRate: fc.integer({ min: 0, max: 60 }),
  salt: fc.nat(),
  lastSeq: fc.integer({ min: 0, max: 1000 }),
});

describe('engine properties', () => {
  it('numbers every durable event consecutively from lastSeq + 1 and reports honest confidence', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (s) => {
        const script: Script = (call, attempt) => {
          const r = roll(call, s.salt, attempt);
          if (r < s.failureRate) {
            return r % 2 === 0 ? new Error('provider error') : reply('garbage, not json');
          }
          if (call.kind === 'vote' || call.kind === 'judge') {
            const ids = call.candidates?.map((c) => c.id) ?? [];
            const choice = ids[r % ids.length] ?? '';
            return reply('v', { choice, confidence: (r % 10) / 10, reasoning: 'because' });
          }
          if (call.kind === 'revision') return reply(`${call.ownPosition ?? ''} step ${r}`);
          return null;
        };
        const h = harness(new ScriptedAgents(script, () => 0));
        const participants = s.agents.map((agent, i) => ({ agent, elo: s.elos[i] ?? 1500 }));
        const result = await new DebateEngine(h.ports).run(
          spec(participants, { rounds: s.rounds, consensus: s.mode }),
          never(),
          { lastSeq: s.lastSeq },
        );

        const seqs = h.sink.seqs();
        expect(seqs).toEqual(seqs.map((_, i) => s.lastSeq + 1 + i));
        expect(h.sink.events.at(-1)?.type).toBe('debate_end');
        expect(h.store.last()?.lastSeq).toBe(seqs.at(-1));

        const { consensus } = result;
        expect(consensus.confidence).toBeGreaterThanOrEqual(0);
        expect(consensus.confidence).toBeLessThanOrEqual(1);
        if (result.status === 'failed') {
          expect(consensus.confidence).toBe(0);
          return;
        }
        const votes = result.tally?.votes ?? [];
        expect(votes.filter((v) => v.source === 'agent').length).toBeGreaterThanOrEqual(
          quorum(s.agents.length),
        );
        const failedVoters = new Set(
          result.agentFailures.filter((f) => f.kind === 'vote').map((f) => f.participant),
        );
        expect(votes.some((v) => failedVoters.has(v.voter))).toBe(false);
        if (consensus.method === 'vote' && consensus.winner !== null) {
          const total = votes.reduce((sum, v) => sum + v.weight, 0);
          const mine = votes.filter((v) => v.choice === consensus.winner);
          const share = mine.reduce((sum, v) => sum + v.weight, 0) / total;
          expect(consensus.confidence).toBeCloseTo(share, 9);
        }
      }),
      { numRuns: 120 },
    );
  });
});
