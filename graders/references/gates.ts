/** Python helpers shared by the gated-RNN templates (the same definitions the learner sees). */
export const SIGMOID_PRELUDE = `def _sigmoid(x):
    return 1 / (1 + np.exp(-x))
`;

export const TANH_ACTIVATION_PRELUDE = `def _activation(x):
    return np.tanh(x)
`;
