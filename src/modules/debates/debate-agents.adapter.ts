import type { AgentInvocation, AgentPort, AgentReply } from '@aragora/debate-engine';
import type { Bulkhead } from '@aragora/resilience';
import type { AgentCaller } from '../agents/agent-caller';
import type { AgentSpec } from '../agents/agent.types';

/**
 * The engine's agent port over AgentCaller: each participant's frozen agent configuration, the
 * resilience pipeline, and streaming only while one of the debate's streaming slots is free
 * (ARAGORA_MAX_CONCURRENT_STREAMING); other calls answer whole.
 */
export class DebateAgents implements AgentPort {
  constructor(
    private readonly caller: AgentCaller,
    private readonly agents: ReadonlyMap<string, AgentSpec>,
    private readonly streamSlots: Bulkhead,
  ) {}

  async invoke(call: AgentInvocation, signal: AbortSignal): Promise<AgentReply> {
    const agent = this.agents.get(call.participant);
    if (!agent) throw new Error(`no agent configuration for participant ${call.participant}`);
    const onDelta = call.stream ? call.onDelta : undefined;
    const stream =
      onDelta !== undefined && this.streamSlots.active < this.streamSlots.maxConcurrent;
    const run = () =>
      this.caller.call(agent, {
        system: call.system,
        messages: call.messages,
        ...(call.output && { output: call.output }),
        hint: {
          kind: call.kind,
          task: call.task,
          round: call.round,
          participant: call.participant,
          persona: agent.persona,
          ...(call.candidates && { candidates: call.candidates }),
          ...(call.ownPosition !== undefined && { ownPosition: call.ownPosition }),
        },
        signal,
        ...(stream && { onDelta }),
      });
    const result = stream ? await this.streamSlots.run(run, signal) : await run();
    return {
      text: result.text,
      ...(result.object !== undefined && { object: result.object }),
      usage: result.usage,
    };
  }
}

/** The engine's persona text for a demo-style persona label. */
export function personaPrompt(label: string): string {
  return label === 'default' ? '' : `You argue as the ${label} of the panel.`;
}
