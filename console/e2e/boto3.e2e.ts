/**
 * boto3 (Python), a client we did not write, as the other side of the console: an app,
 * environment and auth made with boto3 appear in the UI, and what the UI makes (app,
 * environment, auth, schema) is what boto3 reads back. Needs console/.venv (console/ci.sh
 * makes it); without it these tests fail saying how to make it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { boto3, check, launch, newPage, requireBoto3, startServer, type Server } from './harness';

let server: Server;
let browser: Browser;
let page: Page;

/** A boto3 call against the server under test. */
const call = <T>(service: string, operation: string, args: object = {}) => boto3<T>(server.url, service, operation, args);

/** Waits, asking with boto3, until no job of the environment runs. */
async function settled(appId: string, env: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const out = await call<{ Jobs: unknown[] }>('amplifybackend', 'list_backend_jobs', { AppId: appId, BackendEnvironmentName: env, Status: 'RUNNING' });
    if (out.Jobs.length === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`a job of ${env} is still running`);
}

beforeAll(async () => {
  requireBoto3();
  server = await startServer();
  browser = await launch();
  ({ page } = await newPage(browser));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('boto3 and the console', () => {
  it('shows the app, environment and auth boto3 made', async () => {
    const made = await call<{ app: { appId: string } }>('amplify', 'create_app', { name: 'Made by boto3' });
    const appId = made.app.appId;
    await call('amplifybackend', 'create_backend', { AppId: appId, AppName: 'Made by boto3', BackendEnvironmentName: 'staging' });
    await settled(appId, 'staging');
    await call('amplifybackend', 'create_backend_auth', {
      AppId: appId,
      BackendEnvironmentName: 'staging',
      ResourceName: 'stagingauth',
      ResourceConfig: {
        AuthResources: 'USER_POOL_ONLY',
        Service: 'COGNITO',
        UserPoolConfigs: { UserPoolName: 'boto3Pool', SignInMethod: 'EMAIL', RequiredSignUpAttributes: ['EMAIL'] },
      },
    });
    await settled(appId, 'staging');

    await page.goto(`${server.url}/console/`);
    await page.getByRole('link', { name: 'Made by boto3' }).click();
    await page.waitForURL(`**/console/apps/${appId}`);
    await expect.poll(() => page.getByLabel('App name').inputValue()).toBe('Made by boto3');
    await page.getByRole('link', { name: 'staging' }).click();
    await page.waitForURL(`**/console/apps/${appId}/environments/staging/**`);
    await page.getByRole('link', { name: 'Authentication' }).click();
    await page.waitForURL('**/environments/staging/auth');
    await expect.poll(() => page.getByLabel('User pool name').inputValue()).toBe('boto3Pool');
    expect(await page.getByLabel('Sign-in method').inputValue()).toBe('EMAIL');
    expect(await page.getByRole('button', { name: 'Update authentication' }).isVisible()).toBe(true);
    await check(page, 'boto3-auth');
  });

  it('reads back with boto3 the app, environment, auth and schema made in the UI', async () => {
    await page.goto(`${server.url}/console/`);
    await page.getByLabel('Name', { exact: true }).fill('Made in the console');
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.waitForURL('**/console/apps/*');
    const appId = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await page.getByLabel('Environment name', { exact: true }).fill('dev');
    await page.getByRole('button', { name: 'Create environment' }).click();
    await page.waitForURL(`**/console/apps/${appId}/environments/dev/overview`);
    await settled(appId, 'dev');

    await page.getByRole('link', { name: 'Authentication' }).click();
    await page.waitForURL('**/environments/dev/auth');
    await page.getByLabel('User pool name').fill('consolePool');
    await page.getByLabel('Sign-in method').selectOption('USERNAME');
    await page.getByLabel('Minimum length').fill('10');
    await page.getByRole('checkbox', { name: 'REQUIRE_DIGIT' }).check();
    await page.getByRole('button', { name: 'Create authentication' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Authentication created');
    await settled(appId, 'dev');

    await page.getByRole('link', { name: 'Data' }).click();
    await page.waitForURL('**/environments/dev/data');
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText('type Todo @model {\n  id: ID!\n  done: Boolean!\n}\n');
    await page.getByRole('button', { name: 'Save schema' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 }).toMatch(/Save: job .* COMPLETED/);

    const app = await call<{ app: { appId: string; name: string } }>('amplify', 'get_app', { appId });
    expect(app.app).toMatchObject({ appId, name: 'Made in the console' });
    const backend = await call<{ AppName: string; BackendEnvironmentList: string[] }>('amplifybackend', 'get_backend', { AppId: appId });
    expect(backend.AppName).toBe('Made in the console');
    expect(backend.BackendEnvironmentList).toEqual(['dev']);
    const auth = await call<{
      ResourceConfig: { UserPoolConfigs: { UserPoolName: string; SignInMethod: string; PasswordPolicy: { MinimumLength: number; AdditionalConstraints: string[] } } };
    }>('amplifybackend', 'get_backend_auth', { AppId: appId, BackendEnvironmentName: 'dev', ResourceName: 'devauth' });
    expect(auth.ResourceConfig.UserPoolConfigs.UserPoolName).toBe('consolePool');
    expect(auth.ResourceConfig.UserPoolConfigs.SignInMethod).toBe('USERNAME');
    expect(auth.ResourceConfig.UserPoolConfigs.PasswordPolicy.MinimumLength).toBe(10);
    expect(auth.ResourceConfig.UserPoolConfigs.PasswordPolicy.AdditionalConstraints).toContain('REQUIRE_DIGIT');
    const api = await call<{ ResourceConfig: { TransformSchema: string } }>('amplifybackend', 'get_backend_api', {
      AppId: appId,
      BackendEnvironmentName: 'dev',
      ResourceName: 'api',
    });
    expect(api.ResourceConfig.TransformSchema).toContain('type Todo @model');
  });
});
