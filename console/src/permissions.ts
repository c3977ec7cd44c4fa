/** Storage permissions as a matrix: who (authenticated / guest) × what they may do. */
import type { BackendStoragePermissions } from '@aws-sdk/client-amplifybackend';

export const ACTIONS = [
  ['CREATE_AND_UPDATE', 'Create / update'],
  ['READ', 'Read'],
  ['DELETE', 'Delete'],
] as const;
export type Action = (typeof ACTIONS)[number][0];
export const WHO = [
  ['Authenticated', 'Authenticated users'],
  ['UnAuthenticated', 'Guests'],
] as const;
export type Who = (typeof WHO)[number][0];

export type Matrix = Record<Who, Record<Action, boolean>>;

const row = (granted: readonly string[] | undefined): Record<Action, boolean> => ({
  CREATE_AND_UPDATE: granted?.includes('CREATE_AND_UPDATE') ?? false,
  READ: granted?.includes('READ') ?? false,
  DELETE: granted?.includes('DELETE') ?? false,
});

export function toMatrix(p: BackendStoragePermissions | undefined): Matrix {
  return { Authenticated: row(p?.Authenticated), UnAuthenticated: row(p?.UnAuthenticated) };
}

export function fromMatrix(m: Matrix): BackendStoragePermissions {
  const granted = (who: Who) => ACTIONS.map(([a]) => a).filter((a) => m[who][a]);
  const guest = granted('UnAuthenticated');
  return guest.length ? { Authenticated: granted('Authenticated'), UnAuthenticated: guest } : { Authenticated: granted('Authenticated') };
}

/** The API requires authenticated users to have at least one permission. */
export function matrixProblem(m: Matrix): string | undefined {
  return ACTIONS.some(([a]) => m.Authenticated[a]) ? undefined : 'Give authenticated users at least one permission.';
}
