// Stands in for the `server-only` package under Vitest: the real one throws when it is not
// imported from a React Server Component build, which tests are not.
export {};
