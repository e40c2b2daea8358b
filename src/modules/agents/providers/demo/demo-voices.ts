import type { TaskWords } from './task-words';

/** A sentence about the task. */
export type Line = (w: TaskWords) => string;
/** A sentence about the task and one participant's position (critiques, votes). */
export type AboutLine = (w: TaskWords, id: string) => string;
type Lines<T> = readonly [T, T, ...T[]];

/** How one persona writes: its sentences, how harsh it critiques and how sure it votes. */
export interface Voice {
  readonly openings: Lines<Line>;
  /** two distinct ones go into a proposal; the first of them survives the revision */
  readonly points: Lines<Line>;
  readonly closings: Lines<Line>;
  /** what the first revision adds after the critiques */
  readonly refinements: Lines<Line>;
  readonly commonGround: Line;
  /** last sentence of revision round 1 … */
  readonly openPoint: Line;
  /** … and its nearly identical form from round 2 on, so the position settles */
  readonly settledPoint: Line;
  readonly issues: Lines<AboutLine>;
  readonly minorIssue: AboutLine;
  readonly suggestions: Lines<AboutLine>;
  readonly voteReasons: Lines<AboutLine>;
  readonly synthesisNote: Line;
  /** vote confidence, within 0.6–0.9 */
  readonly confidence: number;
  /** critique severity in round 1; it drops by two each round */
  readonly severity: number;
}

export const DEMO_PERSONAS = ['default', 'analyst', 'skeptic', 'pragmatist', 'contrarian'] as const;
export type DemoPersona = (typeof DEMO_PERSONAS)[number];

const balanced: Voice = {
  openings: [
    (w) => `My answer to "${w.topic}" is a staged approach built around ${w.k[0]}.`,
    (w) => `On "${w.topic}", I would go ahead in steps, with ${w.k[0]} as the first one.`,
    (w) => `"${w.topic}" comes down to ${w.k[0]} and ${w.k[1]}, and I would put ${w.k[0]} first.`,
  ],
  points: [
    (w) =>
      `Getting ${w.k[0]} right first makes later decisions about ${w.k[1]} cheaper and easier to reverse.`,
    (w) =>
      `${w.K[1]} matters as well, but it depends on what we learn from ${w.k[0]}, so it should come second.`,
    (w) =>
      `A small pilot that exercises ${w.k[0]} and ${w.k[2]} gives us evidence instead of opinions.`,
    (w) =>
      `We should write down what success means for ${w.k[2]} before anything is built or bought.`,
  ],
  closings: [
    (w) => `In short: start with ${w.k[0]}, measure its effect, then decide on ${w.k[1]}.`,
    (w) => `That keeps risk low while still making real progress on ${w.k[0]}.`,
  ],
  refinements: [
    (w) =>
      `Your critiques convinced me to add an explicit check on ${w.k[3]} before any pilot grows.`,
    (w) =>
      `I now also set a review date: if ${w.k[2]} has not improved after a few weeks, we stop and reassess.`,
    (w) => `I have made my success criteria concrete, so anyone can judge progress on ${w.k[1]}.`,
  ],
  commonGround: (w) =>
    `Most of us now agree on an order, ${w.k[0]} before ${w.k[1]}, with checkpoints between.`,
  openPoint: (w) => `One point is still open for me: how much ${w.k[3]} we can afford on the way.`,
  settledPoint: (w) =>
    `One point I now consider settled: how much ${w.k[3]} we can afford on the way.`,
  issues: [
    (w, id) => `The position of ${id} does not say how progress on ${w.k[0]} would be measured.`,
    (w, id) => `${id} leaves the order of steps between ${w.k[0]} and ${w.k[1]} unclear.`,
    (w, id) => `${id} does not mention what happens to ${w.k[2]} in the meantime.`,
  ],
  minorIssue: (w, id) =>
    `Minor: ${id} could state the success criteria for ${w.k[0]} a little more precisely.`,
  suggestions: [
    (w) => `Add one measurable goal for ${w.k[0]} and a date to check it.`,
    (w) => `Say explicitly what is postponed, in particular ${w.k[1]}.`,
    (w) => `Describe the first small step on ${w.k[2]} in a sentence or two.`,
  ],
  voteReasons: [
    (w, id) =>
      `${id} gives the clearest plan: ${w.k[0]} first, ${w.k[1]} later, and a way to check progress.`,
    (w, id) =>
      `I support ${id} because it balances ${w.k[0]} against ${w.k[1]} without overcommitting.`,
  ],
  synthesisNote: (w) =>
    `Overall this is a balanced plan that can be adjusted as ${w.k[2]} develops.`,
  confidence: 0.75,
  severity: 5,
};

const analyst: Voice = {
  openings: [
    (w) => `Looking at "${w.topic}" analytically, one variable decides most of it: ${w.k[0]}.`,
    (w) =>
      `Before answering "${w.topic}", I would separate what we can measure, ${w.k[0]} and ${w.k[1]}, from what we merely assume.`,
    (w) => `What data we have on "${w.topic}" points mostly at ${w.k[0]}, with ${w.k[1]} second.`,
  ],
  points: [
    (w) => `Our evidence on ${w.k[0]} is thin, so a first step is to collect baseline numbers.`,
    (w) =>
      `I would quantify what ${w.k[1]} costs against what ${w.k[0]} is expected to gain, using ranges rather than point estimates.`,
    (w) =>
      `Comparable cases suggest that ${w.k[2]} explains most variance in outcomes, so it deserves its own metric.`,
    (w) =>
      `A decision matrix over ${w.k[0]}, ${w.k[1]} and ${w.k[2]}, weighted by impact, makes every trade-off explicit.`,
  ],
  closings: [
    (w) =>
      `My recommendation follows from numbers: proceed with ${w.k[0]} if a baseline confirms its expected gain.`,
    (w) => `Expected value favours ${w.k[0]}, provided our measurements on ${w.k[1]} hold up.`,
  ],
  refinements: [
    (w) =>
      `Following your critiques, I added a sensitivity check: my conclusion survives even pessimistic estimates for ${w.k[3]}.`,
    (w) =>
      `I also defined two metrics up front, with thresholds that trigger a rethink if ${w.k[2]} moves against us.`,
    (w) =>
      `My weakest assumption concerned ${w.k[1]}; I now treat it as a range that data must narrow.`,
  ],
  commonGround: (w) =>
    `Our positions now agree on ${w.k[0]} as main driver and differ mostly in how much weight ${w.k[1]} gets.`,
  openPoint: (w) => `What remains uncertain is how large an effect ${w.k[3]} has.`,
  settledPoint: (w) => `What remains uncertain, how large an effect ${w.k[3]} has, is acceptable.`,
  issues: [
    (w, id) => `${id} makes claims about ${w.k[0]} without any numbers or baseline.`,
    (w, id) =>
      `${id} asserts the trade-off between ${w.k[0]} and ${w.k[1]} rather than quantifying it.`,
    (w, id) => `${id} gives no evidence that ${w.k[2]} behaves as assumed.`,
  ],
  minorIssue: (w, id) => `Minor: ${id} could cite one figure for ${w.k[0]} to anchor the argument.`,
  suggestions: [
    (w) => `Attach a baseline measurement for ${w.k[0]} and an expected range for the gain.`,
    (w) => `State which metric would show that ${w.k[1]} was the wrong priority.`,
    (w) => `Compare at least two alternatives on the same criteria, including ${w.k[2]}.`,
  ],
  voteReasons: [
    (w, id) =>
      `${id} has the best-supported argument: it ties ${w.k[0]} to measurable outcomes and accounts for ${w.k[1]}.`,
    (w, id) =>
      `On the evidence, ${id} is the most defensible position, with the fewest unverified assumptions about ${w.k[0]}.`,
  ],
  synthesisNote: (w) =>
    `Its conclusions should be re-checked against the metrics for ${w.k[0]} once data is in.`,
  confidence: 0.85,
  severity: 6,
};

const skeptic: Voice = {
  openings: [
    (w) =>
      `I am not convinced that "${w.topic}" has an obvious answer; the risks around ${w.k[0]} are underrated.`,
    (w) => `Before we commit on "${w.topic}", we should ask what happens if ${w.k[0]} fails.`,
    (w) =>
      `"${w.topic}" invites a confident answer, but the track record with ${w.k[0]} calls for caution.`,
  ],
  points: [
    (w) => `Plans like this usually underestimate ${w.k[1]}, and that cost tends to show up late.`,
    (w) => `Nobody has shown that ${w.k[0]} solves the problem rather than moving it to ${w.k[2]}.`,
    (w) => `Every option here needs a rollback path, especially where ${w.k[2]} is involved.`,
    (w) =>
      `The optimistic case for ${w.k[0]} rests on conditions we have not verified, such as ${w.k[3]} staying as it is.`,
  ],
  closings: [
    (w) =>
      `So my position is cautious: only a limited, reversible step on ${w.k[0]}, with clear exit criteria.`,
    (w) => `I would proceed with ${w.k[0]} only where failure is cheap and easy to detect.`,
  ],
  refinements: [
    (w) =>
      `Your critiques answered part of my concern: with a rollback plan for ${w.k[0]}, the downside is bounded.`,
    (w) =>
      `I still want an explicit failure signal for ${w.k[2]}, but I no longer oppose starting.`,
    (w) => `My remaining worry is ${w.k[1]}, which I would cap with a budget agreed in advance.`,
  ],
  commonGround: (w) =>
    `I can accept the emerging view that ${w.k[0]} goes first, as long as ${w.k[1]} is watched closely.`,
  openPoint: (w) => `What I have not seen yet is a credible worst case for ${w.k[3]}.`,
  settledPoint: (w) => `What I asked for, a credible worst case for ${w.k[3]}, is now covered.`,
  issues: [
    (w, id) => `${id} underestimates the risk that ${w.k[0]} fails in practice.`,
    (w, id) => `${id} has no rollback plan if ${w.k[1]} turns out more expensive than expected.`,
    (w, id) => `${id} assumes ${w.k[2]} stays stable, which is not guaranteed.`,
  ],
  minorIssue: (w, id) =>
    `Minor: ${id} could name the one signal that would make us abandon ${w.k[0]}.`,
  suggestions: [
    (w) => `Define exit criteria for ${w.k[0]} before starting.`,
    (w) => `Estimate the worst case for ${w.k[1]}, not just the expected case.`,
    (w) => `Keep the first step reversible and limited to ${w.k[2]}.`,
  ],
  voteReasons: [
    (w, id) =>
      `${id} is the least risky position: it bounds the downside of ${w.k[0]} and keeps a way back.`,
    (w, id) =>
      `I back ${id} with some reservations; it is the only one that takes the risks of ${w.k[1]} seriously enough.`,
  ],
  synthesisNote: (w) => `The risks around ${w.k[1]} remain and should be reviewed at each step.`,
  confidence: 0.65,
  severity: 7,
};

const pragmatist: Voice = {
  openings: [
    (w) =>
      `Practically, "${w.topic}" is decided by what we can deliver with the people and time we have, and that points to ${w.k[0]}.`,
    (w) =>
      `The pragmatic answer to "${w.topic}" is to do the smallest useful thing on ${w.k[0]} this quarter.`,
    (w) => `For "${w.topic}", I care about what ships: ${w.k[0]} first, the rest when it pays off.`,
  ],
  points: [
    (w) =>
      `${w.K[0]} can be delivered incrementally, which keeps value flowing while we learn about ${w.k[1]}.`,
    (w) =>
      `The team already knows ${w.k[2]}, so building on it is faster than starting from scratch.`,
    (w) =>
      `Budget and maintenance effort for ${w.k[1]} have to be part of the decision, not an afterthought.`,
    () => `A clear owner and a two-week first milestone will tell us more than further debate.`,
  ],
  closings: [
    (w) =>
      `My call: ship a first version focused on ${w.k[0]}, keep ${w.k[1]} simple, and revisit once it runs.`,
    (w) => `Start small on ${w.k[0]}, deliver, and let the results decide the next step.`,
  ],
  refinements: [
    (w) =>
      `Critiques made me cut my first milestone down further: ${w.k[0]} only, with ${w.k[1]} explicitly deferred.`,
    (w) =>
      `I also added a cost ceiling and a named owner, so work on ${w.k[2]} cannot quietly grow.`,
    (w) => `Running and supporting ${w.k[3]} is now planned from day one.`,
  ],
  commonGround: (w) =>
    `We mostly agree already: do ${w.k[0]} now and leave ${w.k[1]} until early results are in.`,
  openPoint: (w) => `Still to agree: how much of ${w.k[3]} goes into release one.`,
  settledPoint: (w) => `Agreed by now: how much of ${w.k[3]} goes into release one.`,
  issues: [
    (w, id) => `${id} does not say who does the work on ${w.k[0]} or by when.`,
    (w, id) => `${id} plans too much of ${w.k[1]} for a first iteration.`,
    (w, id) => `${id} ignores the ongoing maintenance cost of ${w.k[2]}.`,
  ],
  minorIssue: (w, id) => `Minor: ${id} could name an owner for ${w.k[0]}.`,
  suggestions: [
    (w) => `Cut the first milestone to ${w.k[0]} and give it a date.`,
    (w) => `Put a rough cost on ${w.k[1]} so it can be compared.`,
    (w) => `Reuse what the team already runs for ${w.k[2]}.`,
  ],
  voteReasons: [
    (w, id) =>
      `${id} is the plan we can actually deliver: a small first step on ${w.k[0]} with a clear owner and scope.`,
    (w, id) =>
      `${id} gets value out early from ${w.k[0]} and keeps ${w.k[1]} cheap until it is needed.`,
  ],
  synthesisNote: (w) => `The first milestone should be small and centred on ${w.k[0]}.`,
  confidence: 0.8,
  severity: 5,
};

const contrarian: Voice = {
  openings: [
    (w) =>
      `Everyone will probably say ${w.k[0]} is the answer to "${w.topic}"; I want to argue the opposite case.`,
    (w) =>
      `The obvious reading of "${w.topic}" favours ${w.k[0]}, and that is exactly why it deserves a challenge.`,
    (w) => `On "${w.topic}", I suspect the popular answer, ${w.k[0]}, is the wrong place to start.`,
  ],
  points: [
    (w) =>
      `Focusing on ${w.k[0]} may be optimising the wrong thing; ${w.k[1]} could matter far more.`,
    (w) =>
      `The strongest alternative is to leave ${w.k[0]} alone for now and invest in ${w.k[2]} instead.`,
    (w) =>
      `Conventional wisdom about ${w.k[1]} has been wrong before, and following it was expensive.`,
    (w) =>
      `If we reverse the usual assumption about ${w.k[2]}, a very different plan starts to look attractive.`,
  ],
  closings: [
    (w) =>
      `I would at least put the alternative through the same test before we settle on ${w.k[0]}.`,
    (w) =>
      `My position: do not commit to ${w.k[0]} until ${w.k[1]} has been considered on its own merits.`,
  ],
  refinements: [
    (w) =>
      `Critiques did not change my view that ${w.k[1]} is undervalued, but I accept it need not come first.`,
    (w) =>
      `I narrowed my objection: a plan built on ${w.k[0]} is fine if it leaves room to switch to ${w.k[2]} later.`,
    (w) => `I still think our majority is too confident about ${w.k[3]}, and I want that recorded.`,
  ],
  commonGround: (w) =>
    `I accept that ${w.k[0]} has broad support here, though I still think ${w.k[1]} deserves more weight.`,
  openPoint: (w) =>
    `My dissent stands on one point: nobody has tested an alternative built on ${w.k[3]}.`,
  settledPoint: (w) =>
    `My dissent stands on one point, kept for the record: nobody has tested an alternative built on ${w.k[3]}.`,
  issues: [
    (w, id) => `${id} accepts the usual framing around ${w.k[0]} without questioning it.`,
    (w, id) => `${id} dismisses ${w.k[1]} as an alternative too quickly.`,
    (w, id) => `${id} never considers reversing the assumption about ${w.k[2]}.`,
  ],
  minorIssue: (w, id) =>
    `Minor: ${id} could acknowledge that ${w.k[1]} remains a serious alternative.`,
  suggestions: [
    (w) => `Argue against ${w.k[0]} once, seriously, and show why it still wins.`,
    (w) => `Give ${w.k[1]} a fair comparison instead of a footnote.`,
    (w) => `Say what would have to be true about ${w.k[2]} for the opposite choice to be right.`,
  ],
  voteReasons: [
    (w, id) =>
      `I back ${id} because it takes ${w.k[1]} seriously, which the majority view neglects.`,
    (w, id) =>
      `${id} is the only position that questions the consensus on ${w.k[0]}, and that deserves support.`,
  ],
  synthesisNote: (w) =>
    `Still, the alternative built on ${w.k[1]} was never really tested, and that is a weakness.`,
  confidence: 0.6,
  severity: 8,
};

const VOICES: Readonly<Record<DemoPersona, Voice>> = {
  default: balanced,
  analyst,
  skeptic,
  pragmatist,
  contrarian,
};

/** Unknown personas (user-defined demo agents) speak with the balanced default voice. */
export function voiceOf(persona: string): Voice {
  return isDemoPersona(persona) ? VOICES[persona] : balanced;
}

export function isDemoPersona(persona: string): persona is DemoPersona {
  return (DEMO_PERSONAS as readonly string[]).includes(persona);
}
