/** Authentication: the environment's Cognito configuration as a form; create, update,
 * import, delete. */
import {
  CreateBackendAuthCommand,
  DeleteBackendAuthCommand,
  GetBackendAuthCommand,
  ImportBackendAuthCommand,
  UpdateBackendAuthCommand,
} from '@aws-sdk/client-amplifybackend';
import { useEffect, useState } from 'preact/hooks';
import { isRefusal, toApiError } from '../api';
import {
  ATTRIBUTES, CONSTRAINTS, PROVIDERS, SCOPES, SIGN_IN_METHODS,
  fromConfig, toCreateConfig, toggle, toUpdateConfig, type AuthForm,
} from '../auth-form';
import { Confirm, ErrorBox, Field, ResourceFormActions } from '../components/ui';
import { useConsole } from '../context';
import { useAction, useLoad } from '../hooks';
import type { EnvProps } from './environment';

type Props = EnvProps & { names: string[]; onChange: () => void };

function Checks({ legend, options, value, onChange, name }: { legend: string; options: readonly string[]; value: string[]; onChange: (v: string[]) => void; name: string }) {
  return (
    <fieldset class="checks">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o} class="check">
          <input type="checkbox" name={name} value={o} checked={value.includes(o)} onChange={(e) => onChange(toggle(value, o, e.currentTarget.checked))} />{' '}
          {o}
        </label>
      ))}
    </fieldset>
  );
}

export function AuthTab({ appId, env, names, onChange }: Props) {
  const { clients } = useConsole();
  const [resourceName, setResourceName] = useState(names[0] ?? `${env}auth`);
  const auth = useLoad(async () => {
    try {
      return await clients.backend.send(new GetBackendAuthCommand({ AppId: appId, BackendEnvironmentName: env, ResourceName: resourceName }));
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'NotFoundException' && !isRefusal(err)) return undefined;
      throw e;
    }
  }, [clients, appId, env, resourceName]);
  const exists = auth.data !== undefined;
  const [form, setForm] = useState<AuthForm>(() => fromConfig(undefined, resourceName));
  useEffect(() => {
    if (auth.data) setForm(fromConfig(auth.data.ResourceConfig, resourceName));
  }, [auth.data]);
  const action = useAction();
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [deleting, setDeleting] = useState(false);
  const [imported, setImported] = useState({ UserPoolId: '', NativeClientId: '', WebClientId: '', IdentityPoolId: '' });
  const set = <K extends keyof AuthForm>(k: K, v: AuthForm[K]) => setForm({ ...form, [k]: v });
  const key = { AppId: appId, BackendEnvironmentName: env, ResourceName: resourceName };
  const after = (what: string) => (out: { JobId?: string | undefined } | undefined) => {
    if (!out) return;
    setNotice(`${what} (job ${out.JobId ?? ''}).`);
    auth.reload();
    onChange();
  };

  return (
    <div class="stack">
      <div class="row">
        <Field label="Auth resource name">
          <input name="authResource" value={resourceName} readOnly={names.length > 0} onChange={(e) => setResourceName(e.currentTarget.value)} />
        </Field>
        <span class={`status ${exists ? 'completed' : ''}`}>{exists ? 'Configured' : 'Not configured yet'}</span>
      </div>
      <ErrorBox error={auth.error} />
      {notice && <p class="notice" role="status">{notice}</p>}
      <form
        class="stack"
        aria-label="Cognito configuration"
        onSubmit={async (e) => {
          e.preventDefault();
          setNotice(undefined);
          const out = await action.run(() =>
            exists
              ? clients.backend.send(new UpdateBackendAuthCommand({ ...key, ResourceConfig: toUpdateConfig(form) }))
              : clients.backend.send(new CreateBackendAuthCommand({ ...key, ResourceConfig: toCreateConfig(form) })),
          );
          after(exists ? 'Authentication updated' : 'Authentication created')(out);
        }}
      >
        <div class="grid2">
          <fieldset>
            <legend>User pool</legend>
            <Field label="User pool name">
              <input name="userPoolName" required disabled={exists} value={form.userPoolName} onInput={(e) => set('userPoolName', e.currentTarget.value)} />
            </Field>
            <Field label="Sign-in method">
              <select name="signInMethod" disabled={exists} value={form.signInMethod} onChange={(e) => set('signInMethod', e.currentTarget.value)}>
                {SIGN_IN_METHODS.map((m) => <option key={m}>{m}</option>)}
              </select>
            </Field>
            <label class="check">
              <input type="checkbox" name="identityPool" checked={form.identityPool} disabled={exists} onChange={(e) => set('identityPool', e.currentTarget.checked)} /> Identity pool too
            </label>
            {form.identityPool && (
              <>
                <Field label="Identity pool name">
                  <input name="identityPoolName" disabled={exists} value={form.identityPoolName} onInput={(e) => set('identityPoolName', e.currentTarget.value)} />
                </Field>
                <label class="check">
                  <input type="checkbox" name="unauthenticatedLogin" checked={form.unauthenticatedLogin} onChange={(e) => set('unauthenticatedLogin', e.currentTarget.checked)} /> Guest (unauthenticated) access
                </label>
              </>
            )}
          </fieldset>
          <Checks legend="Required sign-up attributes" name="requiredAttributes" options={ATTRIBUTES} value={form.requiredAttributes} onChange={(v) => set('requiredAttributes', v)} />
          <fieldset>
            <legend>Multi-factor authentication</legend>
            <Field label="MFA">
              <select name="mfaMode" value={form.mfaMode} onChange={(e) => set('mfaMode', e.currentTarget.value)}>
                {['OFF', 'OPTIONAL', 'ON'].map((m) => <option key={m}>{m}</option>)}
              </select>
            </Field>
            {form.mfaMode !== 'OFF' && (
              <>
                <Checks legend="Factors" name="mfaTypes" options={['SMS', 'TOTP']} value={form.mfaTypes} onChange={(v) => set('mfaTypes', v)} />
                <Field label="MFA SMS message">
                  <input name="mfaSmsMessage" value={form.mfaSmsMessage} onInput={(e) => set('mfaSmsMessage', e.currentTarget.value)} />
                </Field>
              </>
            )}
          </fieldset>
          <fieldset>
            <legend>Password policy</legend>
            <Field label="Minimum length">
              <input name="minimumLength" type="number" min={6} max={99} value={form.minimumLength} onInput={(e) => set('minimumLength', Number(e.currentTarget.value))} />
            </Field>
            <Checks legend="Also require" name="constraints" options={CONSTRAINTS} value={form.constraints} onChange={(v) => set('constraints', v)} />
          </fieldset>
          <fieldset>
            <legend>Verification message</legend>
            <Field label="Delivery">
              <select name="verificationDelivery" value={form.verificationDelivery} onChange={(e) => set('verificationDelivery', e.currentTarget.value)}>
                <option>EMAIL</option>
                <option>SMS</option>
              </select>
            </Field>
            {form.verificationDelivery === 'EMAIL' ? (
              <>
                <Field label="Email subject">
                  <input name="verificationEmailSubject" value={form.verificationEmailSubject} onInput={(e) => set('verificationEmailSubject', e.currentTarget.value)} />
                </Field>
                <Field label="Email message">
                  <input name="verificationEmailMessage" value={form.verificationEmailMessage} onInput={(e) => set('verificationEmailMessage', e.currentTarget.value)} />
                </Field>
              </>
            ) : (
              <Field label="SMS message">
                <input name="verificationSmsMessage" value={form.verificationSmsMessage} onInput={(e) => set('verificationSmsMessage', e.currentTarget.value)} />
              </Field>
            )}
          </fieldset>
          <fieldset>
            <legend>Forgot-password message</legend>
            <Field label="Delivery">
              <select name="forgotDelivery" value={form.forgotDelivery} onChange={(e) => set('forgotDelivery', e.currentTarget.value)}>
                <option>EMAIL</option>
                <option>SMS</option>
              </select>
            </Field>
            {form.forgotDelivery === 'EMAIL' ? (
              <>
                <Field label="Email subject">
                  <input name="forgotEmailSubject" value={form.forgotEmailSubject} onInput={(e) => set('forgotEmailSubject', e.currentTarget.value)} />
                </Field>
                <Field label="Email message">
                  <input name="forgotEmailMessage" value={form.forgotEmailMessage} onInput={(e) => set('forgotEmailMessage', e.currentTarget.value)} />
                </Field>
              </>
            ) : (
              <Field label="SMS message">
                <input name="forgotSmsMessage" value={form.forgotSmsMessage} onInput={(e) => set('forgotSmsMessage', e.currentTarget.value)} />
              </Field>
            )}
          </fieldset>
          <fieldset>
            <legend>Hosted UI and social providers</legend>
            <label class="check">
              <input type="checkbox" name="oauth" checked={form.oauth} onChange={(e) => set('oauth', e.currentTarget.checked)} /> OAuth (hosted UI)
            </label>
            {form.oauth && (
              <>
                <Field label="Domain prefix">
                  <input name="domainPrefix" value={form.domainPrefix} onInput={(e) => set('domainPrefix', e.currentTarget.value)} />
                </Field>
                <Field label="Grant type">
                  <select name="grantType" value={form.grantType} onChange={(e) => set('grantType', e.currentTarget.value)}>
                    <option>CODE</option>
                    <option>IMPLICIT</option>
                  </select>
                </Field>
                <Checks legend="Scopes" name="scopes" options={SCOPES} value={form.scopes} onChange={(v) => set('scopes', v)} />
                <Field label="Sign-in redirect URIs" hint="One per line.">
                  <textarea name="redirectSignIn" rows={2} value={form.redirectSignIn} onInput={(e) => set('redirectSignIn', e.currentTarget.value)} />
                </Field>
                <Field label="Sign-out redirect URIs" hint="One per line.">
                  <textarea name="redirectSignOut" rows={2} value={form.redirectSignOut} onInput={(e) => set('redirectSignOut', e.currentTarget.value)} />
                </Field>
                {PROVIDERS.map((p) => (
                  <div key={p} class="provider">
                    <Field label={`${p} client id`}>
                      <input name={`${p}ClientId`} value={form.providers[p].clientId} onInput={(e) => set('providers', { ...form.providers, [p]: { ...form.providers[p], clientId: e.currentTarget.value } })} />
                    </Field>
                    <Field label={`${p} client secret`}>
                      <input name={`${p}ClientSecret`} type="password" autoComplete="off" value={form.providers[p].clientSecret} onInput={(e) => set('providers', { ...form.providers, [p]: { ...form.providers[p], clientSecret: e.currentTarget.value } })} />
                    </Field>
                  </div>
                ))}
                <div class="provider">
                  <Field label="Sign in with Apple client id">
                    <input name="appleClientId" value={form.apple.clientId} onInput={(e) => set('apple', { ...form.apple, clientId: e.currentTarget.value })} />
                  </Field>
                  <Field label="Apple team id">
                    <input name="appleTeamId" value={form.apple.teamId} onInput={(e) => set('apple', { ...form.apple, teamId: e.currentTarget.value })} />
                  </Field>
                  <Field label="Apple key id">
                    <input name="appleKeyId" value={form.apple.keyId} onInput={(e) => set('apple', { ...form.apple, keyId: e.currentTarget.value })} />
                  </Field>
                  <Field label="Apple private key">
                    <input name="applePrivateKey" type="password" autoComplete="off" value={form.apple.privateKey} onInput={(e) => set('apple', { ...form.apple, privateKey: e.currentTarget.value })} />
                  </Field>
                </div>
              </>
            )}
          </fieldset>
        </div>
        <ResourceFormActions
          noun="authentication"
          exists={exists}
          busy={action.busy}
          error={action.error}
          onDelete={() => { action.clear(); setDeleting(true); }}
        />
      </form>

      {!exists && (
        <form
          class="card stack"
          aria-labelledby="import-auth"
          onSubmit={async (e) => {
            e.preventDefault();
            const { IdentityPoolId, ...rest } = imported;
            const out = await action.run(() =>
              clients.backend.send(
                new ImportBackendAuthCommand({ AppId: appId, BackendEnvironmentName: env, ...rest, ...(IdentityPoolId ? { IdentityPoolId } : {}) }),
              ),
            );
            after('Authentication imported')(out);
          }}
        >
          <h2 id="import-auth">Import an existing Cognito user pool</h2>
          <div class="grid2">
            {(['UserPoolId', 'NativeClientId', 'WebClientId', 'IdentityPoolId'] as const).map((k) => (
              <Field key={k} label={k === 'IdentityPoolId' ? 'Identity pool id (optional)' : k.replace(/([a-z])([A-Z])/g, '$1 $2')}>
                <input name={`import${k}`} required={k !== 'IdentityPoolId'} value={imported[k]} onInput={(e) => setImported({ ...imported, [k]: e.currentTarget.value })} />
              </Field>
            ))}
          </div>
          <div class="actions">
            <button type="submit" disabled={action.busy}>Import</button>
          </div>
        </form>
      )}
      <Confirm
        open={deleting}
        title={`Delete authentication ${resourceName}?`}
        confirmLabel={`Delete ${resourceName}`}
        busy={action.busy}
        error={action.error}
        onCancel={() => setDeleting(false)}
        onConfirm={async () => {
          const out = await action.run(() => clients.backend.send(new DeleteBackendAuthCommand(key)));
          if (out) {
            setDeleting(false);
            after('Authentication deleted')(out);
          }
        }}
      >
        <p>
          The Cognito configuration <strong>{resourceName}</strong> of environment <strong>{env}</strong> will be deleted.
        </p>
      </Confirm>
    </div>
  );
}
