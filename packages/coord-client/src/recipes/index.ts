// Coordination recipes (issue 4), exported as `@paddock/coord-client/recipes`.
export {};
