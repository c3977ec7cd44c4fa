/**
 * The console's clients of the API: the AWS SDK's, pointed at the origin that served the
 * page, signing with SigV4 as any other client does.
 */
import { AmplifyBackendClient } from '@aws-sdk/client-amplifybackend';
import { AmplifyClient } from '@aws-sdk/client-amplify';
import { credentialsOf, type Session } from './session';

export interface Clients {
  backend: AmplifyBackendClient;
  amplify: AmplifyClient;
}

export function makeClients(session: Session, endpoint: string): Clients {
  const config = {
    region: session.region,
    endpoint,
    credentials: credentialsOf(session),
    // A person is waiting: show an error at once rather than retrying behind their back.
    maxAttempts: 1,
  };
  return { backend: new AmplifyBackendClient(config), amplify: new AmplifyClient(config) };
}

/** An API error as the console shows it. */
export interface ApiError {
  code: string;
  message: string;
  status?: number;
}

/** The error codes that mean the keys were refused. */
const REFUSED = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignatureException',
  'MissingAuthenticationTokenException',
  'InvalidClientTokenId',
  'ExpiredTokenException',
  'AccessDeniedException',
]);

/** Code and message of anything a call threw. */
export function toApiError(e: unknown): ApiError {
  if (e instanceof Error) {
    const meta = (e as { $metadata?: { httpStatusCode?: number } }).$metadata;
    const status = meta?.httpStatusCode;
    const code = e.name && e.name !== 'Error' ? e.name : status ? `HTTP ${status}` : 'Error';
    const message = e.message || 'The request failed without a message.';
    return status === undefined ? { code, message } : { code, message, status };
  }
  return { code: 'Error', message: String(e) };
}

/** Whether the server refused who we are (403, or a refused-signature code). */
export function isRefusal(error: ApiError): boolean {
  return error.status === 403 || REFUSED.has(error.code);
}

/** "line 3, column 7" (the server's wording for schema errors), 1-based. */
export function errorPosition(message: string): { line: number; column: number } | undefined {
  const m = /line (\d+), column (\d+)/.exec(message);
  if (!m) return undefined;
  return { line: Number(m[1]), column: Number(m[2]) };
}
