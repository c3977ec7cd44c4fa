/**
 * The console end to end in Chromium against the real binary: environments, auth, the
 * schema and its models, live jobs and cancelling one, a bad schema, tokens, data made by
 * another client and read back by it; axe-core on every screen at both sizes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import {
  CreateBackendCommand,
  GetBackendAPICommand,
  GetBackendAuthCommand,
  GetBackendCommand,
  GetBackendJobCommand,
  GetBackendStorageCommand,
  ListBackendJobsCommand,
} from '@aws-sdk/client-amplifybackend';
import { join } from 'node:path';
import { SCREENSHOTS, check as checkPage, launch, newPage, screenshot, sdk, startServer, type Server } from './harness';

/** The app made through the UI in the first test (CreateApp gives its id). */
let APP = '';
const APP_NAME = 'Console e2e';

let server: Server;
let browser: Browser;
let page: Page;

/** Waits until no job of the environment runs (the server refuses a second one). */
async function settled(env: string): Promise<void> {
  const client = sdk(server.url);
  for (let i = 0; i < 100; i++) {
    const out = await client.send(new ListBackendJobsCommand({ AppId: APP, BackendEnvironmentName: env, Status: 'RUNNING' }));
    if ((out.Jobs ?? []).length === 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`a job of ${env} is still running`);
}

/** Accessibility, layout and screenshots at both sizes (see the harness). */
const check = (name: string) => checkPage(page, name);

/** The README's picture (docs/console.png is a copy): the Data tab, small. */
async function readmeScreenshot(url: string): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 0.6 });
  const small = await context.newPage();
  await small.goto(url);
  await small.locator('h2 .status').waitFor();
  await small.screenshot({ path: join(SCREENSHOTS, 'readme-console.png') });
  await context.close();
}

beforeAll(async () => {
  server = await startServer({ jobDurationMs: 1500 });
  browser = await launch();
  ({ page } = await newPage(browser));
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the console in local-development mode', () => {
  it('is where a browser lands and says what to do with no data', async () => {
    await page.goto(server.url + '/');
    expect(new URL(page.url()).pathname).toBe('/console/');
    await expect.poll(() => page.getByRole('heading', { name: 'Apps', level: 1 }).isVisible()).toBe(true);
    await expect.poll(() => page.getByText('No apps yet').isVisible()).toBe(true);
    await check('apps');
  });

  it('creates an app and an environment through the UI and watches its job go RUNNING → COMPLETED', async () => {
    await page.getByLabel('Name', { exact: true }).fill(APP_NAME);
    await page.getByRole('button', { name: 'Create app' }).click();
    await page.waitForURL('**/console/apps/*');
    APP = decodeURIComponent(new URL(page.url()).pathname.split('/').pop() ?? '');
    await expect.poll(() => page.getByText('No environments yet').isVisible()).toBe(true);
    // The name comes from the app (GetApp) while it has no backend.
    await expect.poll(() => page.getByLabel('App name').inputValue()).toBe(APP_NAME);
    await check('app-empty');
    await page.getByLabel('Environment name', { exact: true }).fill('dev');
    await page.getByRole('button', { name: 'Create environment' }).click();
    await page.waitForURL(`**/console/apps/${APP}/environments/dev/overview`);
    const status = page.locator('tr', { hasText: 'CreateBackend' }).locator('.status');
    await expect.poll(() => status.textContent(), { timeout: 5000 }).toBe('RUNNING');
    // No reload: the list refreshes itself while the job runs, and stops once it is done.
    await expect.poll(() => status.textContent(), { timeout: 8000 }).toBe('COMPLETED');
    await expect.poll(() => page.locator('.jobs').getAttribute('data-live')).toBe('no');
    await page.reload();
    await expect.poll(() => page.getByText('AmplifyAppId').first().isVisible()).toBe(true);
    await check('environment-overview');
  });

  it('adds authentication, which the other client reads back', async () => {
    await page.getByRole('link', { name: 'Authentication' }).click();
    await page.waitForURL('**/environments/dev/auth');
    await page.getByLabel('User pool name').fill('consolePool');
    await page.getByLabel('Sign-in method').selectOption('USERNAME');
    await page.getByLabel('Minimum length').fill('12');
    await page.getByRole('checkbox', { name: 'REQUIRE_DIGIT' }).check();
    await page.getByRole('checkbox', { name: 'Guest (unauthenticated) access' }).check();
    await check('environment-auth');
    await page.getByRole('button', { name: 'Create authentication' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Authentication created');
    await settled('dev');
    const auth = await sdk(server.url).send(
      new GetBackendAuthCommand({ AppId: APP, BackendEnvironmentName: 'dev', ResourceName: 'devauth' }),
    );
    expect(auth.ResourceConfig?.UserPoolConfigs?.UserPoolName).toBe('consolePool');
    expect(auth.ResourceConfig?.UserPoolConfigs?.SignInMethod).toBe('USERNAME');
    expect(auth.ResourceConfig?.UserPoolConfigs?.PasswordPolicy?.MinimumLength).toBe(12);
    expect(auth.ResourceConfig?.IdentityPoolConfigs?.UnauthenticatedLogin).toBe(true);
  });

  it('saves a schema, generates models and shows them', async () => {
    await page.getByRole('link', { name: 'Data' }).click();
    await page.waitForURL('**/environments/dev/data');
    const editor = page.locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText('type Note @model {\n  id: ID!\n  title: String!\n}\n');
    await page.getByRole('button', { name: 'Save schema' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent(), { timeout: 10_000 }).toMatch(/Save: job .* COMPLETED/);
    const api = await sdk(server.url).send(new GetBackendAPICommand({ AppId: APP, BackendEnvironmentName: 'dev', ResourceName: 'api' }));
    expect(api.ResourceConfig?.TransformSchema).toContain('type Note @model');
    await page.getByRole('button', { name: 'Generate models' }).click();
    await expect.poll(() => page.locator('h2 .status').textContent(), { timeout: 10_000 }).toBe('LATEST');
    expect(await page.locator('.model-introspection').textContent()).toContain('"Note"');
    expect(await page.locator('.models-js').textContent()).toContain('Note');
    await check('environment-data');
    await readmeScreenshot(page.url());
  });

  it('shows a schema the server rejects at its line and column', async () => {
    const editor = page.locator('.cm-content');
    await editor.click();
    await page.keyboard.press('Control+a');
    await page.keyboard.insertText('type Note @model {\n  id: ID!\n  title String!\n}\n');
    await page.getByRole('button', { name: 'Save schema' }).click();
    const error = page.locator('.schema-error');
    await expect.poll(() => error.textContent()).toMatch(/^Line 3, column \d+:/);
    expect(await page.locator('.error-code').first().textContent()).toBe('BadRequestException');
    // The editor marks the spot, and kept what was typed.
    await expect.poll(() => page.locator('.cm-lintRange-error').count()).toBeGreaterThan(0);
    expect(await editor.textContent()).toContain('title String!');
    await screenshot(page, 'environment-data-error');
  });

  it('creates storage with its permissions matrix, which the other client reads back', async () => {
    await page.getByRole('link', { name: 'Storage' }).click();
    await page.waitForURL('**/environments/dev/storage');
    await expect.poll(() => page.getByText('No buckets yet').isVisible()).toBe(true);
    await page.getByRole('checkbox', { name: 'Guests: Read' }).check();
    await page.getByRole('checkbox', { name: 'Authenticated users: Delete' }).uncheck();
    await page.getByRole('checkbox', { name: 'Authenticated users: Create / update' }).uncheck();
    await page.getByRole('checkbox', { name: 'Authenticated users: Read' }).uncheck();
    // Refused before any call: authenticated users need a permission; the matrix is kept.
    await page.getByRole('button', { name: 'Create storage' }).click();
    await expect.poll(() => page.getByRole('alert').first().textContent()).toContain('at least one permission');
    expect(await page.getByRole('checkbox', { name: 'Guests: Read' }).isChecked()).toBe(true);
    await page.getByRole('checkbox', { name: 'Authenticated users: Create / update' }).check();
    await page.getByRole('checkbox', { name: 'Authenticated users: Read' }).check();
    await check('environment-storage');
    await page.getByRole('button', { name: 'Create storage' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('Storage created');
    await settled('dev');
    const storage = await sdk(server.url).send(
      new GetBackendStorageCommand({ AppId: APP, BackendEnvironmentName: 'dev', ResourceName: 'devstorage' }),
    );
    expect(storage.ResourceConfig?.Permissions).toEqual({ Authenticated: ['CREATE_AND_UPDATE', 'READ'], UnAuthenticated: ['READ'] });
    await page.reload();
    await expect.poll(() => page.getByRole('button', { name: 'Update storage' }).isVisible()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Guests: Read' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'Authenticated users: Delete' }).isChecked()).toBe(false);
  });

  it('creates a token whose expiry counts down', async () => {
    await page.getByRole('link', { name: 'Tokens' }).click();
    await page.getByRole('button', { name: 'Create token' }).click();
    const countdown = page.locator('.countdown');
    await expect.poll(() => countdown.textContent()).toMatch(/^(10:00|9:5\d)$/);
    const first = await countdown.textContent();
    await expect.poll(() => countdown.textContent(), { timeout: 4000 }).not.toBe(first);
    expect(await page.locator('.challenge-code').textContent()).not.toBe('');
    await check('environment-tokens');
    const sessionId = (await page.locator('.session-id').textContent()) ?? '';
    const code = await page.locator('.challenge-code').textContent();
    await page.reload();
    await expect.poll(() => page.getByText('No token shown').isVisible()).toBe(true);
    await page.getByLabel('Session id').fill(sessionId);
    await page.getByRole('button', { name: 'Look up (GetToken)' }).click();
    await expect.poll(() => page.locator('.challenge-code').textContent()).toBe(code);
    await page.getByRole('button', { name: 'Delete token' }).click();
    await expect.poll(() => page.getByRole('status').first().textContent()).toContain('deleted');
    await page.getByRole('button', { name: 'Look up (GetToken)' }).click();
    await expect.poll(() => page.locator('.error-code').first().textContent()).toBe('NotFoundException');
  });

  it('shows what another client made, and that client reads what the console made', async () => {
    const client = sdk(server.url);
    const made = await client.send(new CreateBackendCommand({ AppId: APP, AppName: APP_NAME, BackendEnvironmentName: 'prod' }));
    for (let i = 0; i < 50; i++) {
      const job = await client.send(new GetBackendJobCommand({ AppId: APP, BackendEnvironmentName: 'prod', JobId: made.JobId }));
      if (job.Status !== 'RUNNING') break;
      await new Promise((r) => setTimeout(r, 200));
    }
    await page.goto(`${server.url}/console/apps/${APP}`);
    await expect.poll(() => page.getByRole('link', { name: 'prod' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: 'dev' }).isVisible()).toBe(true);
    await check('app');
    // An API error shows its code and message by the form, which keeps what was typed.
    await page.getByLabel('Environment name', { exact: true }).fill('prod');
    await page.getByRole('button', { name: 'Create environment' }).click();
    const form = page.locator('form', { has: page.getByRole('heading', { name: 'Create an environment' }) });
    await expect.poll(() => form.locator('.error-code').textContent()).toMatch(/Exception$/);
    expect(await form.locator('.error-message').textContent()).toContain('prod');
    expect(await page.getByLabel('Environment name', { exact: true }).inputValue()).toBe('prod');
    await screenshot(page, 'app-error');
    const backend = await client.send(new GetBackendCommand({ AppId: APP }));
    expect([...(backend.BackendEnvironmentList ?? [])].sort()).toEqual(['dev', 'prod']);
    expect(backend.AppName).toBe(APP_NAME);
  });

  it('clones and deletes an environment, and keeps the Studio settings', async () => {
    await settled('prod');
    await page.getByLabel('From').selectOption('prod');
    await page.getByLabel('New environment name').fill('stage');
    await page.getByRole('button', { name: 'Clone' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'stage' }).isVisible(), { timeout: 5000 }).toBe(true);
    const listed = await sdk(server.url).send(new GetBackendCommand({ AppId: APP }));
    expect([...(listed.BackendEnvironmentList ?? [])].sort()).toEqual(['dev', 'prod', 'stage']);
    await settled('stage');
    await settled('prod');
    await page.getByRole('button', { name: 'Delete environment stage' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('heading').textContent()).toBe('Delete environment stage?');
    await dialog.getByRole('button', { name: 'Delete stage' }).click();
    await expect.poll(() => page.getByRole('link', { name: 'stage' }).count(), { timeout: 5000 }).toBe(0);

    await page.getByRole('button', { name: 'Turn on Studio (CreateBackendConfig)' }).click();
    await expect.poll(() => page.getByText('Last response').isVisible()).toBe(true);
    await page.getByLabel('User pool id').fill('us-east-1_console');
    await page.getByLabel('Cognito region').fill('us-east-1');
    await page.getByRole('button', { name: 'Save login auth config' }).click();
    await expect.poll(() => page.locator('.tree').last().textContent()).toContain('us-east-1_console');
  });

  it('switches region: another region sees none of it', async () => {
    await page.goto(`${server.url}/console/`);
    await expect.poll(() => page.getByRole('link', { name: APP_NAME }).isVisible()).toBe(true);
    await page.getByLabel('Region').selectOption('eu-west-1');
    await expect.poll(() => page.getByText('No apps yet').isVisible()).toBe(true);
    expect(await page.getByText('in eu-west-1').isVisible()).toBe(true);
    await page.getByLabel('Region').selectOption('us-east-1');
    await expect.poll(() => page.getByRole('link', { name: APP_NAME }).isVisible()).toBe(true);
  });

  it('switches account: another account sees none of it', async () => {
    await page.getByLabel('Account').fill('123456789012');
    await page.getByLabel('Account').press('Enter');
    await page.goto(`${server.url}/console/apps/${APP}`);
    await expect.poll(() => page.getByText('No environments yet').isVisible()).toBe(true);
    await page.getByLabel('Account').fill('000000000000');
    await page.getByLabel('Account').press('Enter');
    await expect.poll(() => page.getByRole('link', { name: 'prod' }).isVisible()).toBe(true);
  });

  it('reaches every control by keyboard with a visible focus', async () => {
    await page.goto(`${server.url}/console/apps/${APP}/environments/dev/overview`);
    await expect.poll(() => page.getByText('AmplifyAppId').first().isVisible()).toBe(true);
    const seen = new Set<string>();
    for (let i = 0; i < 25; i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return undefined;
        const style = getComputedStyle(el);
        return { text: `${el.tagName}:${el.textContent?.trim().slice(0, 20) ?? ''}`, outline: style.outlineStyle !== 'none' && style.outlineWidth !== '0px' };
      });
      if (!focus) continue;
      expect(focus.outline, `no visible focus on ${focus.text}`).toBe(true);
      seen.add(focus.text);
    }
    expect([...seen].some((t) => t.includes('Jobs'))).toBe(true);
  });

  it('removes all backends after a confirmation naming the app', async () => {
    await settled('dev');
    await settled('prod');
    await page.goto(`${server.url}/console/apps/${APP}`);
    await page.getByRole('button', { name: 'Remove all backends…' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('heading').textContent()).toBe(`Remove all backends of ${APP_NAME}?`);
    await dialog.getByRole('button', { name: 'Remove all backends' }).click();
    await expect.poll(() => page.getByText('No environments yet').isVisible(), { timeout: 5000 }).toBe(true);
    await expect(sdk(server.url).send(new GetBackendCommand({ AppId: APP, BackendEnvironmentName: 'dev' }))).rejects.toMatchObject({
      name: 'NotFoundException',
    });
  });
});
