import { realTimer, sleep } from '@aragora/resilience';
import type { AgentCallerPorts } from './agent-caller';

/** Wall clock, real timers, Math.random: the production ports of AgentCaller and ProviderBudget. */
export const realAgentCallerPorts: AgentCallerPorts & { now: () => number } = {
  clock: Date,
  now: () => Date.now(),
  sleep,
  random: Math.random,
  setTimer: realTimer,
};
