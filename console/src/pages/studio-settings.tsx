/** The app's Studio settings: Create/Update/RemoveBackendConfig (the login auth config). */
import {
  CreateBackendConfigCommand,
  RemoveBackendConfigCommand,
  UpdateBackendConfigCommand,
  type LoginAuthConfigReqObj,
} from '@aws-sdk/client-amplifybackend';
import { useState } from 'preact/hooks';
import { ErrorBox, Field, Tree } from '../components/ui';
import { useConsole } from '../context';
import { useAction } from '../hooks';

const FIELDS: [keyof LoginAuthConfigReqObj, string][] = [
  ['AwsCognitoIdentityPoolId', 'Identity pool id'],
  ['AwsCognitoRegion', 'Cognito region'],
  ['AwsUserPoolsId', 'User pool id'],
  ['AwsUserPoolsWebClientId', 'User pool web client id'],
];

/** The fields that were filled in, as the request's LoginAuthConfig. */
export function loginAuthConfig(form: Partial<Record<keyof LoginAuthConfigReqObj, string>>): LoginAuthConfigReqObj {
  const out: LoginAuthConfigReqObj = {};
  for (const [key] of FIELDS) {
    const v = form[key]?.trim();
    if (v) out[key] = v;
  }
  return out;
}

export function StudioSettings({ appId }: { appId: string }) {
  const { clients } = useConsole();
  const [managerAppId, setManagerAppId] = useState('');
  const [form, setForm] = useState<Partial<Record<keyof LoginAuthConfigReqObj, string>>>({});
  const action = useAction();
  const [result, setResult] = useState<unknown>(undefined);
  const done = (out: object | undefined) => {
    if (!out) return;
    const { $metadata: _, ...rest } = out as { $metadata?: unknown };
    setResult(rest);
  };
  return (
    <div class="card stack">
      <h2>Studio settings</h2>
      <p class="muted">Turn on Studio for this app, then set the login auth config Studio signs in with.</p>
      <div class="row">
        <Field label="Backend manager app id (optional)">
          <input name="backendManagerAppId" value={managerAppId} onInput={(e) => setManagerAppId(e.currentTarget.value)} />
        </Field>
        <button
          type="button"
          disabled={action.busy}
          onClick={async () =>
            done(
              await action.run(() =>
                clients.backend.send(
                  new CreateBackendConfigCommand(
                    managerAppId.trim() ? { AppId: appId, BackendManagerAppId: managerAppId.trim() } : { AppId: appId },
                  ),
                ),
              ),
            )
          }
        >
          Turn on Studio (CreateBackendConfig)
        </button>
      </div>
      <form
        class="stack"
        onSubmit={async (e) => {
          e.preventDefault();
          done(
            await action.run(() =>
              clients.backend.send(new UpdateBackendConfigCommand({ AppId: appId, LoginAuthConfig: loginAuthConfig(form) })),
            ),
          );
        }}
      >
        <div class="grid2">
          {FIELDS.map(([key, label]) => (
            <Field key={key} label={label}>
              <input name={key} value={form[key] ?? ''} onInput={(e) => setForm({ ...form, [key]: e.currentTarget.value })} />
            </Field>
          ))}
        </div>
        <div class="actions">
          <button type="submit" disabled={action.busy}>
            Save login auth config
          </button>
          <button
            type="button"
            class="danger"
            disabled={action.busy}
            onClick={async () => done(await action.run(() => clients.backend.send(new RemoveBackendConfigCommand({ AppId: appId })))) }
          >
            Remove Studio settings
          </button>
        </div>
      </form>
      <ErrorBox error={action.error} />
      {result !== undefined && (
        <div role="status">
          <h3>Last response</h3>
          <Tree value={result} />
        </div>
      )}
    </div>
  );
}
