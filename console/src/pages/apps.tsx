/** Apps: every app of the account and region (ListApps), create one, delete one. */
import { CreateAppCommand, DeleteAppCommand, ListAppsCommand, type App } from '@aws-sdk/client-amplify';
import { useState } from 'preact/hooks';
import { Confirm, Empty, ErrorBox, Field, Link } from '../components/ui';
import { useConsole } from '../context';
import { formatTime } from '../format';
import { useAction, useLoad } from '../hooks';

/** Every app, following the paginator. */
async function listAllApps(send: (token: string | undefined) => Promise<{ apps?: App[]; nextToken?: string }>): Promise<App[]> {
  const apps: App[] = [];
  let token: string | undefined;
  do {
    const page = await send(token);
    apps.push(...(page.apps ?? []));
    token = page.nextToken;
  } while (token);
  return apps;
}

export function AppsPage() {
  const { clients, session, navigate } = useConsole();
  const apps = useLoad(
    () => listAllApps((nextToken) => clients.amplify.send(new ListAppsCommand({ maxResults: 100, nextToken }))),
    [clients],
  );
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const create = useAction();
  const [doomed, setDoomed] = useState<App | undefined>(undefined);
  const remove = useAction();
  const [openId, setOpenId] = useState('');

  return (
    <section>
      <h1>Apps</h1>
      <p class="muted">
        Apps of account {session.kind === 'local' ? session.account : 'signed in'} in {session.region}.
      </p>
      <ErrorBox error={apps.error} />
      {apps.loading && !apps.data && <p aria-live="polite">Loading apps…</p>}
      {apps.data && apps.data.length === 0 && <Empty>No apps yet. Create one below to start an environment.</Empty>}
      {apps.data && apps.data.length > 0 && (
        <div class="scroll"><table class="list" aria-label="Apps">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">App id</th>
              <th scope="col">Created</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {apps.data.map((app) => (
              <tr key={app.appId}>
                <td>
                  <Link to={{ name: 'app', appId: app.appId ?? '' }}>{app.name}</Link>
                  {app.description && <div class="muted small">{app.description}</div>}
                </td>
                <td>
                  <code>{app.appId}</code>
                </td>
                <td>{formatTime(app.createTime)}</td>
                <td class="row-actions">
                  <button type="button" class="danger" aria-label={`Delete app ${app.name}`} onClick={() => { remove.clear(); setDoomed(app); }}>
                    Delete
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}

      <div class="columns">
        <form
          class="card stack"
          aria-labelledby="create-app"
          onSubmit={async (e) => {
            e.preventDefault();
            const out = await create.run(() =>
              clients.amplify.send(new CreateAppCommand(description ? { name, description } : { name })),
            );
            if (out?.app?.appId) {
              setName('');
              setDescription('');
              navigate({ name: 'app', appId: out.app.appId });
            }
          }}
        >
          <h2 id="create-app">Create an app</h2>
          <Field label="Name">
            <input name="appName" required maxLength={255} value={name} onInput={(e) => setName(e.currentTarget.value)} />
          </Field>
          <Field label="Description (optional)">
            <input name="appDescription" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
          </Field>
          <ErrorBox error={create.error} />
          <div class="actions">
            <button type="submit" class="primary" disabled={create.busy}>
              Create app
            </button>
          </div>
        </form>
        <form
          class="card stack"
          aria-labelledby="open-app"
          onSubmit={(e) => {
            e.preventDefault();
            if (openId.trim()) navigate({ name: 'app', appId: openId.trim() });
          }}
        >
          <h2 id="open-app">Open an app by id</h2>
          <Field label="App id" hint="A backend made by CreateBackend with any app id opens here too.">
            <input name="openAppId" required value={openId} onInput={(e) => setOpenId(e.currentTarget.value)} />
          </Field>
          <div class="actions">
            <button type="submit">Open</button>
          </div>
        </form>
      </div>

      <Confirm
        open={doomed !== undefined}
        title={`Delete app ${doomed?.name ?? ''}?`}
        confirmLabel={`Delete ${doomed?.name ?? ''}`}
        busy={remove.busy}
        error={remove.error}
        onCancel={() => setDoomed(undefined)}
        onConfirm={async () => {
          const appId = doomed?.appId;
          if (!appId) return;
          const out = await remove.run(() => clients.amplify.send(new DeleteAppCommand({ appId })));
          if (out) {
            setDoomed(undefined);
            apps.reload();
          }
        }}
      >
        <p>
          The app <strong>{doomed?.name}</strong> (<code>{doomed?.appId}</code>) and its environments will be deleted.
          This cannot be undone.
        </p>
      </Confirm>
    </section>
  );
}
