/**
 * With --credentials: the default key is refused and the console asks to sign in with the
 * reason; a wrong secret is refused the same way; the right one signs every call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { CreateBackendCommand } from '@aws-sdk/client-amplifybackend';
import { check, launch, newPage, sdk, startServer, type Server } from './harness';

const KEY = { accessKeyId: 'AKIDCONSOLEE2E', secret: 'the-right-secret', account: '111122223333' };
const APP = 'd9signedapp';

let server: Server;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  server = await startServer({ credentials: [KEY] });
  browser = await launch();
  ({ page } = await newPage(browser));
  await sdk(server.url, KEY.accessKeyId, KEY.secret).send(
    new CreateBackendCommand({ AppId: APP, AppName: 'Signed', BackendEnvironmentName: 'main' }),
  );
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(secret: string): Promise<void> {
  await page.getByLabel('Access key id').fill(KEY.accessKeyId);
  await page.getByLabel('Secret access key').fill(secret);
  await page.getByLabel('Region').last().fill('us-east-1');
  await page.getByRole('button', { name: 'Sign in' }).last().click();
}

describe('the console with --credentials', () => {
  it('asks to sign in, with the reason, when the default key is refused', async () => {
    await page.goto(`${server.url}/console/apps/${APP}`);
    await page.waitForURL('**/console/sign-in');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/refused.*(Unrecognized|Signature|Access)/i);
    await check(page, 'sign-in');
  });

  it('refuses a wrong secret and says why', async () => {
    await signIn('not-the-secret');
    await page.waitForURL('**/console/sign-in');
    await expect.poll(() => page.getByRole('alert').first().textContent()).toMatch(/Signature/i);
    // The form keeps what was typed, but never the secret in local storage.
    expect(await page.getByLabel('Access key id').inputValue()).toBe(KEY.accessKeyId);
    expect(await page.evaluate(() => localStorage.length)).toBe(0);
  });

  it('signs every call with the right secret, kept for the tab only', async () => {
    await signIn(KEY.secret);
    await page.waitForURL(`**/console/apps/${APP}`);
    await expect.poll(() => page.getByRole('link', { name: 'main' }).isVisible()).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByRole('link', { name: 'main' }).isVisible()).toBe(true);
    const stored = await page.evaluate(() => Object.keys(sessionStorage));
    expect(stored).toEqual(['amplifybackend.console.session']);
    // A new tab of another context starts signed out.
    const other = await newPage(browser);
    await other.page.goto(`${server.url}/console/apps/${APP}`);
    await other.page.waitForURL('**/console/sign-in');
    await other.context.close();
  });
});
