/**
 * The Apps screen against the `amplify` service's ListApps, CreateApp and DeleteApp: an app
 * made in the UI is what the SDK lists, one made by the SDK shows in the UI, and deleting
 * asks first, naming the app.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { AmplifyClient, CreateAppCommand, GetAppCommand, ListAppsCommand } from '@aws-sdk/client-amplify';
import { check, launch, newPage, startServer, type Server } from './harness';

let server: Server;
let browser: Browser;
let page: Page;
let amplify: AmplifyClient;

beforeAll(async () => {
  server = await startServer();
  amplify = new AmplifyClient({
    region: 'us-east-1',
    endpoint: server.url,
    credentials: { accessKeyId: '000000000000', secretAccessKey: 'anything' },
    maxAttempts: 1,
  });
  browser = await launch();
  ({ page } = await newPage(browser));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the Apps screen', () => {
  it('creates, lists and deletes apps with the amplify service', async () => {
    await page.goto(`${server.url}/console/`);
    await expect.poll(() => page.getByText('No apps yet').isVisible()).toBe(true);
    await page.getByLabel('Name', { exact: true }).fill('Made in the console');
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.waitForURL('**/console/apps/*');
    const appId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    const listed = await amplify.send(new ListAppsCommand({}));
    expect(listed.apps?.map((a) => [a.appId, a.name])).toEqual([[appId, 'Made in the console']]);

    await amplify.send(new CreateAppCommand({ name: 'Made by the SDK' }));
    await page.goto(`${server.url}/console/`);
    await expect.poll(() => page.getByRole('link', { name: 'Made by the SDK' }).isVisible()).toBe(true);
    await check(page, 'apps-list');

    await page.getByRole('button', { name: 'Delete app Made in the console' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.textContent()).toContain('Made in the console');
    await check(page, 'apps-delete-confirmation');
    await dialog.getByRole('button', { name: 'Delete Made in the console' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Made in the console' }).count()).toBe(0);
    await expect(amplify.send(new GetAppCommand({ appId }))).rejects.toMatchObject({ name: 'NotFoundException' });
  });
});
