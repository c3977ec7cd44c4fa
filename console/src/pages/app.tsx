/** App: its environments (GetBackend), create / clone / delete one, remove all backends,
 * and the Studio settings (the login auth config). */
import {
  CloneBackendCommand,
  CreateBackendCommand,
  DeleteBackendCommand,
  GetBackendCommand,
  RemoveAllBackendsCommand,
} from '@aws-sdk/client-amplifybackend';
import { GetAppCommand } from '@aws-sdk/client-amplify';
import { useState } from 'preact/hooks';
import { isRefusal, toApiError } from '../api';
import { Confirm, Empty, ErrorBox, Field, Link } from '../components/ui';
import { useConsole } from '../context';
import { useAction, useLoad } from '../hooks';
import { waitUntil } from '../jobs';
import { StudioSettings } from './studio-settings';

interface AppView {
  appName: string | undefined;
  environments: string[];
}

export function AppPage({ appId }: { appId: string }) {
  const { clients, navigate } = useConsole();
  const app = useLoad(async (): Promise<AppView> => {
    try {
      const out = await clients.backend.send(new GetBackendCommand({ AppId: appId }));
      return { appName: out.AppName, environments: [...(out.BackendEnvironmentList ?? [])].sort() };
    } catch (e) {
      const err = toApiError(e);
      if (err.code !== 'NotFoundException' || isRefusal(err)) throw e;
      // No backend yet: the app itself may still exist in the apps service.
      const found = await clients.amplify.send(new GetAppCommand({ appId })).catch(() => undefined);
      return { appName: found?.app?.name, environments: [] };
    }
  }, [clients, appId]);
  const [envName, setEnvName] = useState('');
  const [appName, setAppName] = useState<string | undefined>(undefined);
  const create = useAction();
  const [source, setSource] = useState('');
  const [target, setTarget] = useState('');
  const clone = useAction();
  const [doomed, setDoomed] = useState<string | undefined>(undefined);
  const remove = useAction();
  const [removeAll, setRemoveAll] = useState(false);
  const [cleanApp, setCleanApp] = useState(false);
  const removingAll = useAction();
  const [notice, setNotice] = useState<string | undefined>(undefined);

  /** The environments as the API lists them now (none once the backend is gone). */
  const environments = async (): Promise<string[]> => {
    try {
      const out = await clients.backend.send(new GetBackendCommand({ AppId: appId }));
      return [...(out.BackendEnvironmentList ?? [])];
    } catch (e) {
      if (toApiError(e).code === 'NotFoundException') return [];
      throw e;
    }
  };
  /** Waits (while its job runs) until the list shows what an action did, then shows it. */
  const settle = async (done: (list: string[]) => boolean) => {
    await waitUntil(async () => done(await environments()));
    app.reload();
  };

  const envs = app.data?.environments ?? [];
  const name = appName ?? app.data?.appName ?? '';
  return (
    <section>
      <nav aria-label="Breadcrumb" class="crumbs">
        <Link to={{ name: 'apps' }}>Apps</Link> / <span aria-current="page">{app.data?.appName ?? appId}</span>
      </nav>
      <h1>
        {app.data?.appName ?? 'App'} <code class="muted">{appId}</code>
      </h1>
      <ErrorBox error={app.error} />
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <h2>Environments</h2>
      {app.loading && !app.data && <p>Loading…</p>}
      {app.data && envs.length === 0 && <Empty>No environments yet. Create one below (for example dev).</Empty>}
      {envs.length > 0 && (
        <ul class="cards" aria-label="Environments">
          {envs.map((env) => (
            <li key={env} class="card env">
              <Link to={{ name: 'environment', appId, env, tab: 'overview' }} class="env-name">
                {env}
              </Link>
              <button type="button" class="danger" aria-label={`Delete environment ${env}`} onClick={() => { remove.clear(); setDoomed(env); }}>
                Delete
              </button>
            </li>
          ))}
        </ul>
      )}

      <div class="columns">
        <form
          class="card stack"
          aria-labelledby="create-env"
          onSubmit={async (e) => {
            e.preventDefault();
            const out = await create.run(() =>
              clients.backend.send(new CreateBackendCommand({ AppId: appId, AppName: name, BackendEnvironmentName: envName })),
            );
            if (out) navigate({ name: 'environment', appId, env: envName, tab: 'overview' });
          }}
        >
          <h2 id="create-env">Create an environment</h2>
          <Field label="Environment name">
            <input name="environmentName" required value={envName} onInput={(e) => setEnvName(e.currentTarget.value)} />
          </Field>
          <Field label="App name">
            <input name="createAppName" required value={name} onInput={(e) => setAppName(e.currentTarget.value)} />
          </Field>
          <ErrorBox error={create.error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={create.busy}>
              Create environment
            </button>
          </div>
        </form>

        <form
          class="card stack"
          aria-labelledby="clone-env"
          onSubmit={async (e) => {
            e.preventDefault();
            const from = source || envs[0] || '';
            const out = await clone.run(() =>
              clients.backend.send(
                new CloneBackendCommand({ AppId: appId, BackendEnvironmentName: from, TargetEnvironmentName: target }),
              ),
            );
            if (out) {
              setNotice(`Cloning ${from} into ${target} (job ${out.JobId ?? ''}).`);
              setTarget('');
              await clone.run(() => settle((list) => list.includes(target)));
            }
          }}
        >
          <h2 id="clone-env">Clone an environment</h2>
          {envs.length === 0 ? (
            <Empty>Create an environment first; then it can be cloned.</Empty>
          ) : (
            <>
              <Field label="From">
                <select name="cloneSource" value={source || envs[0]} onChange={(e) => setSource(e.currentTarget.value)}>
                  {envs.map((env) => (
                    <option key={env}>{env}</option>
                  ))}
                </select>
              </Field>
              <Field label="New environment name">
                <input name="cloneTarget" required value={target} onInput={(e) => setTarget(e.currentTarget.value)} />
              </Field>
              <ErrorBox error={clone.error} />
              <div class="actions">
                <button type="submit" disabled={clone.busy}>
                  Clone
                </button>
              </div>
            </>
          )}
        </form>
      </div>

      <StudioSettings appId={appId} />

      <div class="card danger-zone">
        <h2>Remove all backends</h2>
        <p>Deletes every environment of this app and what it holds.</p>
        <button type="button" class="danger" onClick={() => { removingAll.clear(); setRemoveAll(true); }} disabled={envs.length === 0}>
          Remove all backends…
        </button>
      </div>

      <Confirm
        open={doomed !== undefined}
        title={`Delete environment ${doomed ?? ''}?`}
        confirmLabel={`Delete ${doomed ?? ''}`}
        busy={remove.busy}
        error={remove.error}
        onCancel={() => setDoomed(undefined)}
        onConfirm={async () => {
          if (!doomed) return;
          const out = await remove.run(() =>
            clients.backend.send(new DeleteBackendCommand({ AppId: appId, BackendEnvironmentName: doomed })),
          );
          if (out) {
            setNotice(`Environment ${doomed} deleted.`);
            setDoomed(undefined);
            await remove.run(() => settle((list) => !list.includes(doomed)));
          }
        }}
      >
        <p>
          The environment <strong>{doomed}</strong> of app <code>{appId}</code> and its auth, data and storage will be
          deleted.
        </p>
      </Confirm>
      <Confirm
        open={removeAll}
        title={`Remove all backends of ${name || appId}?`}
        confirmLabel="Remove all backends"
        busy={removingAll.busy}
        error={removingAll.error}
        onCancel={() => setRemoveAll(false)}
        onConfirm={async () => {
          const out = await removingAll.run(() =>
            clients.backend.send(new RemoveAllBackendsCommand({ AppId: appId, CleanAmplifyApp: cleanApp })),
          );
          if (out) {
            setRemoveAll(false);
            setNotice(`All backends of ${name || appId} removed.`);
            await removingAll.run(() => settle((list) => list.length === 0));
          }
        }}
      >
        <p>
          Every environment of <strong>{name || appId}</strong> ({envs.join(', ') || 'none'}) will be deleted.
        </p>
        <label class="check">
          <input type="checkbox" checked={cleanApp} onChange={(e) => setCleanApp(e.currentTarget.checked)} /> Also delete
          the app's Studio settings (CleanAmplifyApp)
        </label>
      </Confirm>
    </section>
  );
}
