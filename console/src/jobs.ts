/** Jobs: what the list asks for, when it refreshes itself, and waiting for one job. */
import type { BackendJobRespObj, ListBackendJobsCommandInput } from '@aws-sdk/client-amplifybackend';

export const STATUSES = ['RUNNING', 'COMPLETED', 'FAILED'] as const;
/** How often a list with a RUNNING job refreshes itself. */
export const REFRESH_MS = 1000;
export const PAGE_SIZE = 10;

export interface JobFilters {
  status: string;
  operation: string;
}

/** The ListBackendJobs input for a page with these filters. */
export function listInput(
  appId: string,
  env: string,
  filters: JobFilters,
  nextToken: string | undefined,
): ListBackendJobsCommandInput {
  const input: ListBackendJobsCommandInput = { AppId: appId, BackendEnvironmentName: env, MaxResults: PAGE_SIZE };
  if (filters.status) input.Status = filters.status;
  if (filters.operation.trim()) input.Operation = filters.operation.trim();
  if (nextToken) input.NextToken = nextToken;
  return input;
}

export function anyRunning(jobs: Pick<BackendJobRespObj, 'Status'>[] | undefined): boolean {
  return (jobs ?? []).some((j) => j.Status === 'RUNNING');
}

/** Pages seen so far: the token of each page, the first one's undefined. */
export class PageTokens {
  private readonly tokens: (string | undefined)[] = [undefined];
  get current(): string | undefined {
    return this.tokens[this.tokens.length - 1];
  }
  get page(): number {
    return this.tokens.length;
  }
  get hasPrevious(): boolean {
    return this.tokens.length > 1;
  }
  next(token: string): void {
    this.tokens.push(token);
  }
  previous(): void {
    if (this.tokens.length > 1) this.tokens.pop();
  }
  reset(): void {
    this.tokens.length = 1;
  }
}

export interface JobState {
  Status?: string | undefined;
  Error?: string | undefined;
}

/**
 * Polls `get` until the job is no longer RUNNING (or `limitMs` passes); answers its last
 * state. A job completed inside its request (no --job-duration-ms) answers at once.
 */
export async function waitForJob<T extends JobState>(
  get: () => Promise<T>,
  options: { intervalMs?: number; limitMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<T> {
  const interval = options.intervalMs ?? 300;
  const limit = options.limitMs ?? 60_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  let waited = 0;
  for (;;) {
    const job = await get();
    if (job.Status !== 'RUNNING' || waited >= limit) return job;
    await sleep(interval);
    waited += interval;
  }
}

/**
 * Polls `check` until it answers true or `limitMs` passes; answers the last answer. What a
 * job changes (an environment cloned or deleted) shows once the job completes.
 */
export async function waitUntil(
  check: () => Promise<boolean>,
  options: { intervalMs?: number; limitMs?: number; sleep?: (ms: number) => Promise<void> } = {},
): Promise<boolean> {
  const interval = options.intervalMs ?? 300;
  const limit = options.limitMs ?? 30_000;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  for (let waited = 0; ; waited += interval) {
    if (await check()) return true;
    if (waited >= limit) return false;
    await sleep(interval);
  }
}
