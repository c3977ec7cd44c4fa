/**
 * The end-to-end harness: the real `amplifybackend` binary ($AMPLIFYBACKEND_BIN) started on
 * port 0 with a fresh SQLite database, Debian's Chromium driven by playwright-core, the
 * AWS SDK for JavaScript in Node and boto3 (Python) as the "other clients", axe-core and
 * screenshots.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { AmplifyBackendClient } from '@aws-sdk/client-amplifybackend';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const SCREENSHOTS = join(here, 'screenshots');

export interface Server {
  url: string;
  stop: () => Promise<void>;
}

export interface ServeOptions {
  jobDurationMs?: number;
  /** The `[[credentials]]` entries of a --credentials file. */
  credentials?: { accessKeyId: string; secret: string; account: string }[];
}

export function binary(): string {
  return process.env.AMPLIFYBACKEND_BIN ?? join(root, 'target', 'debug', 'amplifybackend');
}

/** Starts the server on a free port with a database of its own; resolves once it listens. */
export async function startServer(options: ServeOptions = {}): Promise<Server> {
  const dir = mkdtempSync(join(tmpdir(), 'console-e2e-'));
  const args = ['serve', '--listen', '127.0.0.1:0', '--database-url', `sqlite://${join(dir, 'e2e.db')}`];
  if (options.jobDurationMs) args.push('--job-duration-ms', String(options.jobDurationMs));
  if (options.credentials) {
    const file = join(dir, 'credentials.toml');
    writeFileSync(
      file,
      options.credentials
        .map((c) => `[[credentials]]\naccess_key_id = "${c.accessKeyId}"\nsecret_access_key = "${c.secret}"\naccount_id = "${c.account}"\n`)
        .join('\n'),
    );
    args.push('--credentials', file);
  }
  const child: ChildProcess = spawn(binary(), args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, AMPLIFYBACKEND_LOG: 'info', NO_COLOR: '1' },
  });
  let log = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the server did not start:\n${log}`)), 20_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      const m = /listen=(127\.0\.0\.1:\d+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve(`http://${m[1]}`);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}):\n${log}`));
    });
  });
  return {
    url,
    stop: async () => {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844 };

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-dev-shm-usage'],
  });
}

/** What the page reported going wrong: uncaught errors, and anything the Content Security
 * Policy refused (the page runs under the policy the server sends). */
const problems = new WeakMap<Page, string[]>();

/** A fresh context (its own sessionStorage). */
export async function newPage(browser: Browser, viewport = DESKTOP): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  const seen: string[] = [];
  problems.set(page, seen);
  page.on('pageerror', (e) => seen.push(`uncaught: ${e.message}`));
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(`CSP: ${m.text()}`);
  });
  // A step that cannot happen fails within seconds, naming itself, not at the test's limit.
  page.setDefaultTimeout(10_000);
  return { context, page };
}

const require = createRequire(import.meta.url);
/** axe-core's source, evaluated in the page (as the test tool, not subject to its CSP). */
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** axe-core's serious and critical violations on the page as it is now. */
export async function seriousViolations(page: Page): Promise<Violation[]> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document) => Promise<{ violations: Violation[] }> } }).axe;
    const result = await axe.run(document);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** The other client: the AWS SDK for JavaScript in Node, signing like any program. */
export function sdk(url: string, accessKeyId = '000000000000', secretAccessKey = 'anything'): AmplifyBackendClient {
  return new AmplifyBackendClient({ region: 'us-east-1', endpoint: url, credentials: { accessKeyId, secretAccessKey }, maxAttempts: 1 });
}

/** Accessibility (no serious or critical axe violations), no sideways scrolling on a phone,
 * and a screenshot, at 1280×800 and at 390×844. */
export async function check(page: Page, name: string): Promise<void> {
  const seen = problems.get(page) ?? [];
  if (seen.length > 0) throw new Error(`${name}: the page reported ${seen.join('; ')}`);
  for (const [size, viewport] of [['desktop', DESKTOP], ['phone', PHONE]] as const) {
    await page.setViewportSize(viewport);
    const violations = await seriousViolations(page);
    if (violations.length > 0) throw new Error(`${name} (${size}): ${JSON.stringify(violations, null, 1)}`);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    if (overflow > 1) throw new Error(`${name} (${size}) scrolls sideways by ${overflow}px`);
    await screenshot(page, `${name}-${size}`);
  }
  await page.setViewportSize(DESKTOP);
}

/** The virtualenv with boto3 that `console/ci.sh` makes from `e2e/requirements.txt`. */
export const BOTO3_PYTHON = join(here, '..', '.venv', 'bin', 'python');
const BOTO3_CLIENT = join(here, 'boto3_client.py');

/** Fails, saying how to make it, when the boto3 virtualenv is missing: a boto3 test never
 * passes by not running. */
export function requireBoto3(): void {
  if (!existsSync(BOTO3_PYTHON)) {
    throw new Error(
      `boto3 is missing: ${BOTO3_PYTHON} does not exist. Run \`bash console/ci.sh\`, or make it with ` +
        '`python3 -m venv console/.venv && console/.venv/bin/pip install -r console/e2e/requirements.txt`',
    );
  }
}

/** An error the API answered to a boto3 call, with its code. */
export class Boto3Error extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** A client we did not write: one boto3 call (`client(service).operation(**args)`) through
 * e2e/boto3_client.py, signing with the local-development key; resolves to the response. */
export async function boto3<T>(url: string, service: string, operation: string, args: object = {}, region = 'us-east-1'): Promise<T> {
  requireBoto3();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_ACCESS_KEY_ID: '000000000000',
    AWS_SECRET_ACCESS_KEY: 'anything',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  return new Promise<T>((resolve, reject) => {
    execFile(BOTO3_PYTHON, [BOTO3_CLIENT, url, region, service, operation, JSON.stringify(args)], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      if (!error) {
        resolve(JSON.parse(stdout) as T);
      } else if (error.code === 2) {
        const answer = JSON.parse(stdout) as { Error: { Code?: string; Message?: string } };
        reject(new Boto3Error(answer.Error.Code ?? 'Unknown', answer.Error.Message ?? ''));
      } else {
        reject(new Error(`boto3 ${service}.${operation} failed: ${error.message}\n${stderr}`));
      }
    });
  });
}
