// What `npm test [-- tiers and files]` runs, kept apart from the runner so it can be tested without running tests.

export const TIERS = ['unit', 'integration', 'e2e'] as const;
export type Tier = (typeof TIERS)[number];

/** The tier a test file (relative to the repository, with `/`) belongs to, by its folder under tests/. */
export function tierOf(file: string): Tier | undefined {
  return TIERS.find((tier) => file.startsWith(`tests/${tier}/`));
}

/** Arguments that are neither flags: tier names and test files (relative to the repository). */
export interface TestRequest {
  tiers: string[];
  files: string[];
}

/** The tiers to run: all of them when nothing is named, else the named ones and those of the named files. */
export function chooseTiers(request: TestRequest): Tier[] {
  if (request.tiers.length === 0 && request.files.length === 0) return [...TIERS];
  return TIERS.filter((tier) => request.tiers.includes(tier) || request.files.some((file) => tierOf(file) === tier));
}

/**
 * A tier's files to run: every file of the tier when nothing is named or the tier itself is named, else only the
 * named files of that tier.
 */
export function chooseFiles(request: TestRequest, tier: Tier, tierFiles: string[]): string[] {
  const wholeTier = (request.tiers.length === 0 && request.files.length === 0) || request.tiers.includes(tier);
  return wholeTier ? tierFiles : tierFiles.filter((file) => request.files.includes(file));
}
