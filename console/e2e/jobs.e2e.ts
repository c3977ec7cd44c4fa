/**
 * The Jobs tab: cancelling a running job (UpdateBackendJob to FAILED) while the list is
 * live, then filters and pages over jobs another client made.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  CreateBackendCommand,
  CreateBackendStorageCommand,
  GetBackendJobCommand,
  UpdateBackendStorageCommand,
} from '@aws-sdk/client-amplifybackend';
import { check, launch, newPage, sdk, startServer, type Server } from './harness';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  ({ page } = await newPage(browser));
});

afterAll(async () => {
  await browser?.close();
});

describe('cancelling a running job', () => {
  let server: Server;
  // Jobs run long enough here to be cancelled by hand.
  beforeAll(async () => {
    server = await startServer({ jobDurationMs: 60_000 });
  });
  afterAll(async () => server?.stop());

  it('turns it FAILED and the list stops refreshing', async () => {
    const client = sdk(server.url);
    const made = await client.send(new CreateBackendCommand({ AppId: 'd1cancel', AppName: 'Cancel', BackendEnvironmentName: 'dev' }));
    await page.goto(`${server.url}/console/apps/d1cancel/environments/dev/jobs`);
    const row = page.locator('tr', { hasText: 'CreateBackend' });
    await expect.poll(() => row.locator('.status').textContent()).toBe('RUNNING');
    expect(await page.locator('.jobs').getAttribute('data-live')).toBe('yes');
    await check(page, 'environment-jobs-running');
    await row.getByRole('button', { name: /^Cancel job CreateBackend/ }).click();
    await expect.poll(() => row.locator('.status').textContent()).toBe('FAILED');
    await expect.poll(() => page.locator('.jobs').getAttribute('data-live')).toBe('no');
    const job = await client.send(new GetBackendJobCommand({ AppId: 'd1cancel', BackendEnvironmentName: 'dev', JobId: made.JobId }));
    expect(job.Status).toBe('FAILED');
  });
});

describe('filters and pages', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startServer();
    const client = sdk(server.url);
    const key = { AppId: 'd1pages', BackendEnvironmentName: 'dev' };
    await client.send(new CreateBackendCommand({ ...key, AppName: 'Pages' }));
    const permissions = { Authenticated: ['READ' as const] };
    await client.send(new CreateBackendStorageCommand({ ...key, ResourceName: 'files', ResourceConfig: { Permissions: permissions, ServiceName: 'S3' } }));
    for (let i = 0; i < 10; i++) {
      await client.send(
        new UpdateBackendStorageCommand({ ...key, ResourceName: 'files', ResourceConfig: { Permissions: permissions, ServiceName: 'S3' } }),
      );
    }
  });
  afterAll(async () => server?.stop());

  it('pages through twelve jobs ten at a time and filters them', async () => {
    await page.goto(`${server.url}/console/apps/d1pages/environments/dev/jobs`);
    const rows = page.locator('table[aria-label="Jobs"] tbody tr');
    await expect.poll(() => rows.count()).toBe(10);
    expect(await page.locator('.jobs').getAttribute('data-live')).toBe('no');
    await page.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(await page.getByText('Page 2').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await expect.poll(() => rows.count()).toBe(10);

    await page.getByLabel('Operation').fill('CreateBackendStorage');
    await page.getByLabel('Operation').press('Enter');
    await page.getByLabel('Operation').blur();
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByLabel('Operation').fill('');
    await page.getByLabel('Operation').blur();
    await page.getByLabel('Status').selectOption('RUNNING');
    await expect.poll(() => page.getByText('No job matches these filters').isVisible()).toBe(true);
    await check(page, 'environment-jobs-empty-filter');
  });
});
