/**
 * Who the console signs its calls as. In local-development mode the server trusts any
 * signature and takes a 12-digit access key as the account, so the console signs with a
 * default key and lets the user switch account and region. With `--credentials` the user
 * signs in; the keys live in sessionStorage only, gone when the tab closes.
 */

export const DEFAULT_ACCOUNT = '000000000000';
export const DEFAULT_REGION = 'us-east-1';
/** Any secret does in local-development mode: the signature is not checked. */
const LOCAL_SECRET = 'local-development';
const STORAGE_KEY = 'amplifybackend.console.session';

export type Session =
  | { kind: 'local'; account: string; region: string }
  | {
      kind: 'signed-in';
      accessKeyId: string;
      secretAccessKey: string;
      sessionToken?: string;
      region: string;
    };

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

export const localSession = (): Session => ({
  kind: 'local',
  account: DEFAULT_ACCOUNT,
  region: DEFAULT_REGION,
});

/** The keys a session signs with. */
export function credentialsOf(session: Session): Credentials {
  if (session.kind === 'local') {
    return { accessKeyId: session.account, secretAccessKey: LOCAL_SECRET };
  }
  const { accessKeyId, secretAccessKey, sessionToken } = session;
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;
const ACCOUNT = /^\d{12}$/;

export function isRegion(text: string): boolean {
  return REGION.test(text);
}

export function isAccount(text: string): boolean {
  return ACCOUNT.test(text);
}

/** A session from stored text, or undefined when it is missing or not one. */
export function parseSession(text: string | null): Session | undefined {
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const str = (k: string) => (typeof v[k] === 'string' ? (v[k] as string) : undefined);
  const region = str('region');
  if (!region || !isRegion(region)) return undefined;
  if (v.kind === 'local') {
    const account = str('account');
    return account && isAccount(account) ? { kind: 'local', account, region } : undefined;
  }
  if (v.kind === 'signed-in') {
    const accessKeyId = str('accessKeyId');
    const secretAccessKey = str('secretAccessKey');
    if (!accessKeyId || !secretAccessKey) return undefined;
    const sessionToken = str('sessionToken');
    return sessionToken
      ? { kind: 'signed-in', accessKeyId, secretAccessKey, sessionToken, region }
      : { kind: 'signed-in', accessKeyId, secretAccessKey, region };
  }
  return undefined;
}

export function loadSession(storage: Pick<Storage, 'getItem'>): Session {
  return parseSession(storage.getItem(STORAGE_KEY)) ?? localSession();
}

export function saveSession(storage: Pick<Storage, 'setItem'>, session: Session): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(storage: Pick<Storage, 'removeItem'>): void {
  storage.removeItem(STORAGE_KEY);
}

/** Regions offered by the switcher; any other can be typed. */
export const REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-2',
  'eu-west-1',
  'eu-west-2',
  'eu-central-1',
  'ap-northeast-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-south-1',
];
