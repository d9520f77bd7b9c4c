/** Numeric answers of the rl (強化学習) chapter, computed from the quantities in each stem. */

/** G_t = Σ_k γ^k R_{t+k+1} for a finite list of rewards R_{t+1}, R_{t+2}, … */
function discountedReturn(rewards: number[], gamma: number): number {
  return rewards.reduce((g, r, k) => g + gamma ** k * r, 0);
}

/** The same reward r at every step forever: Σ_k γ^k r = r / (1 − γ). */
function constantRewardReturn(r: number, gamma: number): number {
  return r / (1 - gamma);
}

/** V(s) = Σ_a π(a|s) Q(s, a). */
function stateValue(pi: number[], q: number[]): number {
  return pi.reduce((v, p, i) => v + p * q[i]!, 0);
}

/** ε-greedy over n actions: the greedy action is chosen with 1 − ε + ε/n. */
function epsilonGreedyGreedyProb(epsilon: number, n: number): number {
  return 1 - epsilon + epsilon / n;
}

interface Outcome {
  p: number;
  r: number;
  vNext: number;
}

/** Bellman expectation equation: V(s) = Σ_a π(a|s) Σ_{s'} p(s'|s,a) [r + γ V(s')]. */
function bellmanExpectation(policy: { pi: number; outcomes: Outcome[] }[], gamma: number): number {
  return policy.reduce(
    (v, a) => v + a.pi * a.outcomes.reduce((q, o) => q + o.p * (o.r + gamma * o.vNext), 0),
    0,
  );
}

/** Q(s,a) ← Q(s,a) + α [r + γ max_a' Q(s',a') − Q(s,a)]. */
function qLearningUpdate(q: number, alpha: number, r: number, gamma: number, qNext: number[]): number {
  return q + alpha * (r + gamma * Math.max(...qNext) - q);
}

/** Softmax policy over preferences h; REINFORCE step h_b ← h_b + η G (1[a=b] − π_b). */
function reinforcePreference(h: number[], taken: number, b: number, G: number, eta: number): number {
  const exps = h.map(Math.exp);
  const sum = exps.reduce((a, x) => a + x, 0);
  const pi = exps.map((e) => e / sum);
  return h[b]! + eta * G * ((taken === b ? 1 : 0) - pi[b]!);
}

/** Dueling network: Q(s,a) = V(s) + A(s,a) − mean_a' A(s,a'). */
function duelingQ(v: number, advantages: number[], index: number): number {
  const mean = advantages.reduce((a, b) => a + b, 0) / advantages.length;
  return v + advantages[index]! - mean;
}

/** One-step TD estimate of the advantage: r + γ V(s') − V(s). */
function tdAdvantage(r: number, gamma: number, vNext: number, v: number): number {
  return r + gamma * vNext - v;
}

/** n-step target G_{t:t+n} = Σ_{k<n} γ^k R_{t+k+1} + γ^n V(S_{t+n}). */
function nStepTarget(rewards: number[], gamma: number, vBootstrap: number): number {
  return discountedReturn(rewards, gamma) + gamma ** rewards.length * vBootstrap;
}

export const computed: Record<string, number> = {
  'rl-return-discount-finite': discountedReturn([1, 0, 2, 5], 0.9),
  'rl-return-constant-reward-infinite': constantRewardReturn(2, 0.9),
  'rl-state-value-from-q': stateValue([0.2, 0.5, 0.3], [4, 2, -1]),
  'rl-epsilon-greedy-prob': epsilonGreedyGreedyProb(0.1, 5),
  'rl-bellman-expectation-numeric': bellmanExpectation(
    [
      { pi: 0.5, outcomes: [{ p: 1, r: 1, vNext: 4 }] },
      {
        pi: 0.5,
        outcomes: [
          { p: 0.7, r: 0, vNext: 10 },
          { p: 0.3, r: -5, vNext: 0 },
        ],
      },
    ],
    0.9,
  ),
  'rl-q-learning-update-step': qLearningUpdate(2.0, 0.1, 1, 0.9, [3.0, 5.0, 4.0]),
  'rl-reinforce-softmax-step': reinforcePreference([0, 0, Math.log(2)], 0, 0, 2, 0.1),
  'rl-dueling-q-numeric': duelingQ(1.5, [0.4, -0.2, 1.0, 0.2], 1),
  'rl-advantage-td-numeric': tdAdvantage(1, 0.9, 5, 4.8),
  'rl-n-step-return-numeric': nStepTarget([1, 0, 2], 0.9, 4),
};
