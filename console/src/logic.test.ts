import { describe, expect, it } from 'vitest';
import { errorPosition, isRefusal, toApiError } from './api';
import { emptyAuthForm, fromConfig, toCreateConfig, toggle, toUpdateConfig } from './auth-form';
import { formatRemaining, splitList } from './format';
import { offsetOf } from './graphql';
import { anyRunning, listInput, PageTokens, waitForJob, waitUntil } from './jobs';
import { parseMeta, resourceNames } from './meta';
import { fromMatrix, matrixProblem, toMatrix } from './permissions';
import { parseRoute, routePath, type Route } from './routes';
import { credentialsOf, loadSession, localSession, parseSession, saveSession } from './session';
import { loginAuthConfig } from './pages/studio-settings';
import { expiryOf } from './pages/tokens';

describe('routes', () => {
  const cases: [string, Route][] = [
    ['/console/', { name: 'apps' }],
    ['/console/sign-in', { name: 'sign-in' }],
    ['/console/apps/d1a2', { name: 'app', appId: 'd1a2' }],
    ['/console/apps/d1a2/environments/dev/overview', { name: 'environment', appId: 'd1a2', env: 'dev', tab: 'overview' }],
    ['/console/apps/d1a2/environments/dev/jobs', { name: 'environment', appId: 'd1a2', env: 'dev', tab: 'jobs' }],
  ];
  it.each(cases)('%s round-trips', (path, route) => {
    expect(parseRoute(path)).toEqual(route);
    expect(routePath(route)).toBe(path);
  });
  it('opens the overview without a tab', () => {
    expect(parseRoute('/console/apps/a/environments/dev')).toEqual({ name: 'environment', appId: 'a', env: 'dev', tab: 'overview' });
  });
  it('encodes ids', () => {
    const route: Route = { name: 'app', appId: 'a b/c' };
    expect(parseRoute(routePath(route))).toEqual(route);
  });
  it('names what it does not know', () => {
    expect(parseRoute('/console/apps/a/environments/dev/nope').name).toBe('not-found');
    expect(parseRoute('/console/elsewhere').name).toBe('not-found');
    expect(parseRoute('/console/apps/%E0%A4%A').name).toBe('not-found');
  });
});

describe('session', () => {
  const store = () => {
    const map = new Map<string, string>();
    return {
      getItem: (k: string) => map.get(k) ?? null,
      setItem: (k: string, v: string) => void map.set(k, v),
      removeItem: (k: string) => void map.delete(k),
    };
  };
  it('starts in local development with the default account', () => {
    expect(loadSession(store())).toEqual(localSession());
    expect(credentialsOf(localSession()).accessKeyId).toBe('000000000000');
  });
  it('keeps a sign-in across reloads of the tab', () => {
    const s = store();
    saveSession(s, { kind: 'signed-in', accessKeyId: 'AKID', secretAccessKey: 'x', region: 'eu-west-1' });
    expect(loadSession(s)).toEqual({ kind: 'signed-in', accessKeyId: 'AKID', secretAccessKey: 'x', region: 'eu-west-1' });
  });
  it('signs a local account with the account as the key', () => {
    expect(credentialsOf({ kind: 'local', account: '123456789012', region: 'us-west-2' }).accessKeyId).toBe('123456789012');
  });
  it('ignores what is not a session', () => {
    expect(parseSession('{')).toBeUndefined();
    expect(parseSession('{"kind":"local","account":"12","region":"us-east-1"}')).toBeUndefined();
    expect(parseSession('{"kind":"signed-in","accessKeyId":"a","region":"nowhere"}')).toBeUndefined();
  });
});

describe('errors', () => {
  it('takes the code from the SDK error and the status from its metadata', () => {
    const e = Object.assign(new Error('App d1 not found'), { name: 'NotFoundException', $metadata: { httpStatusCode: 404 } });
    expect(toApiError(e)).toEqual({ code: 'NotFoundException', message: 'App d1 not found', status: 404 });
  });
  it('sends a 403 back to sign-in', () => {
    expect(isRefusal({ code: 'X', message: '', status: 403 })).toBe(true);
    expect(isRefusal({ code: 'InvalidSignatureException', message: '' })).toBe(true);
    expect(isRefusal({ code: 'BadRequestException', message: '', status: 400 })).toBe(false);
  });
  it('finds the line and column of a schema error', () => {
    expect(errorPosition('Invalid transformSchema: syntax error at line 3, column 8: expected')).toEqual({ line: 3, column: 8 });
    expect(errorPosition('could not be compiled: unknown type Foo (line 2, column 9).')).toEqual({ line: 2, column: 9 });
    expect(errorPosition('no position')).toBeUndefined();
  });
  it('places a line and column in the text', () => {
    const text = 'type A {\n  id: ID!\n  x Foo\n}\n';
    expect(text.slice(offsetOf(text, 3, 5))).toMatch(/^Foo/);
    expect(offsetOf(text, 99, 99)).toBeLessThanOrEqual(text.length);
  });
});

describe('jobs', () => {
  it('asks for what the filters say', () => {
    expect(listInput('a', 'dev', { status: 'RUNNING', operation: ' CreateBackendAuth ' }, 'tok')).toEqual({
      AppId: 'a', BackendEnvironmentName: 'dev', MaxResults: 10, Status: 'RUNNING', Operation: 'CreateBackendAuth', NextToken: 'tok',
    });
    expect(listInput('a', 'dev', { status: '', operation: '' }, undefined)).toEqual({ AppId: 'a', BackendEnvironmentName: 'dev', MaxResults: 10 });
  });
  it('is live only while something runs', () => {
    expect(anyRunning([{ Status: 'COMPLETED' }, { Status: 'RUNNING' }])).toBe(true);
    expect(anyRunning([{ Status: 'COMPLETED' }, { Status: 'FAILED' }])).toBe(false);
    expect(anyRunning(undefined)).toBe(false);
  });
  it('goes forward and back through pages', () => {
    const t = new PageTokens();
    expect(t.current).toBeUndefined();
    t.next('p2');
    t.next('p3');
    expect([t.page, t.current]).toEqual([3, 'p3']);
    t.previous();
    expect([t.page, t.current, t.hasPrevious]).toEqual([2, 'p2', true]);
    t.reset();
    expect([t.page, t.current, t.hasPrevious]).toEqual([1, undefined, false]);
  });
  it('waits until a job stops running', async () => {
    const states = ['RUNNING', 'RUNNING', 'COMPLETED'];
    let calls = 0;
    const slept: number[] = [];
    const job = await waitForJob(async () => ({ Status: states[calls++] }), { intervalMs: 5, sleep: async (ms) => void slept.push(ms) });
    expect(job.Status).toBe('COMPLETED');
    expect(calls).toBe(3);
    expect(slept).toEqual([5, 5]);
  });
  it('waits until a change shows, or says it did not', async () => {
    let n = 0;
    expect(await waitUntil(async () => ++n === 3, { sleep: async () => {} })).toBe(true);
    expect(n).toBe(3);
    expect(await waitUntil(async () => false, { intervalMs: 10, limitMs: 30, sleep: async () => {} })).toBe(false);
  });
  it('gives up after its limit', async () => {
    const job = await waitForJob(async () => ({ Status: 'RUNNING' }), { intervalMs: 10, limitMs: 30, sleep: async () => {} });
    expect(job.Status).toBe('RUNNING');
  });
});

describe('storage permissions', () => {
  it('maps the matrix both ways', () => {
    const p = { Authenticated: ['READ' as const, 'DELETE' as const], UnAuthenticated: ['READ' as const] };
    const m = toMatrix(p);
    expect(m.Authenticated).toEqual({ CREATE_AND_UPDATE: false, READ: true, DELETE: true });
    expect(fromMatrix(m)).toEqual({ Authenticated: ['READ', 'DELETE'], UnAuthenticated: ['READ'] });
  });
  it('leaves guests out when they may do nothing', () => {
    expect(fromMatrix(toMatrix({ Authenticated: ['READ'] }))).toEqual({ Authenticated: ['READ'] });
  });
  it('requires a permission for authenticated users', () => {
    expect(matrixProblem(toMatrix({ Authenticated: [] }))).toMatch(/at least one/);
    expect(matrixProblem(toMatrix({ Authenticated: ['READ'] }))).toBeUndefined();
  });
});

describe('auth form', () => {
  it('round-trips a configuration through the form', () => {
    const form = {
      ...emptyAuthForm('dev'),
      mfaMode: 'OPTIONAL',
      forgotDelivery: 'SMS',
      forgotSmsMessage: 'Code {####}',
      mfaTypes: ['TOTP'],
      constraints: ['REQUIRE_DIGIT'],
      oauth: true,
      domainPrefix: 'myapp',
      redirectSignIn: 'https://a.example/\nhttps://b.example/',
      redirectSignOut: 'https://a.example/out',
      providers: { ...emptyAuthForm('dev').providers, Google: { clientId: 'g-id', clientSecret: 'g-secret' } },
    };
    const config = toCreateConfig(form);
    expect(config.UserPoolConfigs?.OAuth?.RedirectSignInURIs).toEqual(['https://a.example/', 'https://b.example/']);
    expect(config.UserPoolConfigs?.OAuth?.SocialProviderSettings).toEqual({ Google: { ClientId: 'g-id', ClientSecret: 'g-secret' } });
    expect(config.UserPoolConfigs?.Mfa).toEqual({ MFAMode: 'OPTIONAL', Settings: { MfaTypes: ['TOTP'] } });
    expect(config.UserPoolConfigs?.ForgotPassword).toEqual({ DeliveryMethod: 'SMS', SmsSettings: { SmsMessage: 'Code {####}' } });
    expect(fromConfig(config, 'dev')).toEqual(form);
  });
  it('sends an update only what an update may change', () => {
    const update = toUpdateConfig(emptyAuthForm('dev'));
    expect(update.UserPoolConfigs).not.toHaveProperty('UserPoolName');
    expect(update.IdentityPoolConfigs).toEqual({ UnauthenticatedLogin: false });
  });
  it('asks for a user pool only without an identity pool', () => {
    expect(toCreateConfig({ ...emptyAuthForm('x'), identityPool: false })).not.toHaveProperty('IdentityPoolConfigs');
  });
  it('toggles checkboxes', () => {
    expect(toggle(['A'], 'B', true)).toEqual(['A', 'B']);
    expect(toggle(['A', 'B'], 'A', false)).toEqual(['B']);
    expect(toggle(['A'], 'A', true)).toEqual(['A']);
  });
});

describe('the rest', () => {
  it('counts down', () => {
    expect(formatRemaining(600_000, 0)).toBe('10:00');
    expect(formatRemaining(3_723_000, 0)).toBe('1:02:03');
    expect(formatRemaining(1_000, 1_000)).toBe('expired');
    expect(expiryOf('600', 1000)).toBe(601_000);
    expect(expiryOf('1800000600', 1_800_000_000_000)).toBe(1_800_000_600_000);
    expect(expiryOf('soon', 5)).toBe(5);
  });
  it('splits lists', () => {
    expect(splitList(' a, b\n\nc ')).toEqual(['a', 'b', 'c']);
  });
  it('reads resource names from amplify-meta', () => {
    const meta = parseMeta('{"auth":{"devauth":{}},"api":{"b":{},"a":{}},"providers":{}}');
    expect(resourceNames(meta, 'api')).toEqual(['a', 'b']);
    expect(resourceNames(meta, 'storage')).toEqual([]);
    expect(parseMeta('not json')).toBe('not json');
  });
  it('sends only the login auth fields filled in', () => {
    expect(loginAuthConfig({ AwsUserPoolsId: ' pool ', AwsCognitoRegion: '' })).toEqual({ AwsUserPoolsId: 'pool' });
  });
});
