// Placeholder until the dev-server harness lands (issue 2).
export {};
