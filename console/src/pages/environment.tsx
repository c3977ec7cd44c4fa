/** Environment: one tab per area; each tab has its own URL. */
import { GetBackendCommand } from '@aws-sdk/client-amplifybackend';
import { ErrorBox, Link, Tree } from '../components/ui';
import { useConsole } from '../context';
import { useLoad } from '../hooks';
import { parseMeta, resourceNames } from '../meta';
import { TAB_LABELS, TABS, type Tab } from '../routes';
import { AuthTab } from './auth';
import { DataTab } from './data';
import { JobsPanel } from './jobs';
import { StorageTab } from './storage';
import { TokensTab } from './tokens';

export interface EnvProps {
  appId: string;
  env: string;
}

export function EnvironmentPage({ appId, env, tab }: EnvProps & { tab: Tab }) {
  const { clients } = useConsole();
  const backend = useLoad(
    () => clients.backend.send(new GetBackendCommand({ AppId: appId, BackendEnvironmentName: env })),
    [clients, appId, env],
  );
  const meta = parseMeta(backend.data?.AmplifyMetaConfig);
  return (
    <section>
      <nav aria-label="Breadcrumb" class="crumbs">
        <Link to={{ name: 'apps' }}>Apps</Link> / <Link to={{ name: 'app', appId }}>{backend.data?.AppName ?? appId}</Link> /{' '}
        <span aria-current="page">{env}</span>
      </nav>
      <h1>
        {env} <span class="muted small">environment of {backend.data?.AppName ?? appId}</span>
      </h1>
      <nav class="tabs" aria-label="Environment">
        {TABS.map((t) => (
          <Link key={t} to={{ name: 'environment', appId, env, tab: t }} aria-current={t === tab ? 'page' : undefined}>
            {TAB_LABELS[t]}
          </Link>
        ))}
      </nav>
      <div class="tab-body">
        {tab === 'overview' && (
          <>
            <ErrorBox error={backend.error} />
            <div class="columns">
              <div class="card">
                <h2>amplify-meta</h2>
                {backend.loading && !backend.data ? <p>Loading…</p> : <Tree value={meta} />}
              </div>
              <div class="card">
                <h2>Jobs</h2>
                <JobsPanel appId={appId} env={env} compact onIdle={backend.reload} />
              </div>
            </div>
          </>
        )}
        {tab === 'auth' && <AuthTab appId={appId} env={env} names={resourceNames(meta, 'auth')} onChange={backend.reload} />}
        {tab === 'data' && <DataTab appId={appId} env={env} names={resourceNames(meta, 'api')} onChange={backend.reload} />}
        {tab === 'storage' && (
          <StorageTab appId={appId} env={env} names={resourceNames(meta, 'storage')} onChange={backend.reload} />
        )}
        {tab === 'jobs' && <JobsPanel appId={appId} env={env} />}
        {tab === 'tokens' && <TokensTab appId={appId} />}
      </div>
    </section>
  );
}
