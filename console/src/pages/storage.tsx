/** Storage: the account's buckets (ListS3Buckets) and the environment's storage resource
 * with its permissions matrix; create, update, import, delete. */
import {
  CreateBackendStorageCommand,
  DeleteBackendStorageCommand,
  GetBackendStorageCommand,
  ImportBackendStorageCommand,
  ListS3BucketsCommand,
  UpdateBackendStorageCommand,
} from '@aws-sdk/client-amplifybackend';
import { useEffect, useState } from 'preact/hooks';
import { isRefusal, toApiError } from '../api';
import { Confirm, Empty, ErrorBox, Field, ResourceFormActions } from '../components/ui';
import { useConsole } from '../context';
import { formatTime } from '../format';
import { useAction, useLoad } from '../hooks';
import { ACTIONS, WHO, fromMatrix, matrixProblem, toMatrix, type Matrix } from '../permissions';
import type { EnvProps } from './environment';

type Props = EnvProps & { names: string[]; onChange: () => void };

export function StorageTab({ appId, env, names, onChange }: Props) {
  const { clients } = useConsole();
  const [resourceName, setResourceName] = useState(names[0] ?? `${env}storage`);
  const buckets = useLoad(async () => {
    const all = [];
    let NextToken: string | undefined;
    do {
      const page = await clients.backend.send(new ListS3BucketsCommand(NextToken ? { NextToken } : {}));
      all.push(...(page.Buckets ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
    return all;
  }, [clients]);
  const storage = useLoad(async () => {
    try {
      return await clients.backend.send(new GetBackendStorageCommand({ AppId: appId, BackendEnvironmentName: env, ResourceName: resourceName }));
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'NotFoundException' && !isRefusal(err)) return undefined;
      throw e;
    }
  }, [clients, appId, env, resourceName]);
  const exists = storage.data !== undefined;
  const [matrix, setMatrix] = useState<Matrix>(() => toMatrix({ Authenticated: ['READ', 'CREATE_AND_UPDATE', 'DELETE'] }));
  const [bucketName, setBucketName] = useState('');
  const [importBucket, setImportBucket] = useState('');
  useEffect(() => {
    if (storage.data) setMatrix(toMatrix(storage.data.ResourceConfig?.Permissions));
  }, [storage.data]);
  const action = useAction();
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [notice, setNotice] = useState<string | undefined>(undefined);
  const [deleting, setDeleting] = useState(false);
  const key = { AppId: appId, BackendEnvironmentName: env, ResourceName: resourceName };
  const after = (what: string, out: { JobId?: string | undefined } | undefined) => {
    if (!out) return;
    setNotice(`${what} (job ${out.JobId ?? ''}).`);
    storage.reload();
    buckets.reload();
    onChange();
  };

  return (
    <div class="stack">
      <div class="row">
        <Field label="Storage resource name">
          <input name="storageResource" value={resourceName} readOnly={names.length > 0} onChange={(e) => setResourceName(e.currentTarget.value)} />
        </Field>
        {storage.data?.ResourceConfig?.BucketName && (
          <span>
            Bucket <code>{storage.data.ResourceConfig.BucketName}</code>
            {storage.data.ResourceConfig.Imported ? ' (imported)' : ''}
          </span>
        )}
      </div>
      <ErrorBox error={storage.error} />
      {notice && <p class="notice" role="status">{notice}</p>}
      <form
        class="card stack"
        aria-labelledby="storage-permissions"
        onSubmit={async (e) => {
          e.preventDefault();
          const p = matrixProblem(matrix);
          setProblem(p);
          if (p) return;
          const Permissions = fromMatrix(matrix);
          const out = await action.run(() =>
            exists
              ? clients.backend.send(new UpdateBackendStorageCommand({ ...key, ResourceConfig: { Permissions, ServiceName: 'S3' } }))
              : clients.backend.send(
                  new CreateBackendStorageCommand({
                    ...key,
                    ResourceConfig: { Permissions, ServiceName: 'S3', ...(bucketName.trim() ? { BucketName: bucketName.trim() } : {}) },
                  }),
                ),
          );
          after(exists ? 'Storage updated' : 'Storage created', out);
        }}
      >
        <h2 id="storage-permissions">Permissions</h2>
        <table class="matrix">
          <thead>
            <tr>
              <th scope="col">Who</th>
              {ACTIONS.map(([a, label]) => (
                <th key={a} scope="col">{label}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {WHO.map(([who, whoLabel]) => (
              <tr key={who}>
                <th scope="row">{whoLabel}</th>
                {ACTIONS.map(([a, label]) => (
                  <td key={a}>
                    <input
                      type="checkbox"
                      name={`${who}-${a}`}
                      aria-label={`${whoLabel}: ${label}`}
                      checked={matrix[who][a]}
                      onChange={(e) => setMatrix({ ...matrix, [who]: { ...matrix[who], [a]: e.currentTarget.checked } })}
                    />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        {!exists && (
          <Field label="Bucket name (optional)" hint="Left empty, the server names one.">
            <input name="bucketName" value={bucketName} onInput={(e) => setBucketName(e.currentTarget.value)} />
          </Field>
        )}
        {problem && <p class="error" role="alert">{problem}</p>}
        <ResourceFormActions
          noun="storage"
          exists={exists}
          busy={action.busy}
          error={action.error}
          onDelete={() => { action.clear(); setDeleting(true); }}
        />
      </form>
      {!exists && (
        <form
          class="card stack"
          aria-labelledby="import-storage"
          onSubmit={async (e) => {
            e.preventDefault();
            const out = await action.run(() =>
              clients.backend.send(new ImportBackendStorageCommand({ AppId: appId, BackendEnvironmentName: env, BucketName: importBucket.trim(), ServiceName: 'S3' })),
            );
            after('Storage imported', out);
          }}
        >
          <h2 id="import-storage">Import an existing bucket</h2>
          <Field label="Bucket name">
            <input name="importBucketName" required value={importBucket} onInput={(e) => setImportBucket(e.currentTarget.value)} />
          </Field>
          <div class="actions">
            <button type="submit" disabled={action.busy}>Import</button>
          </div>
        </form>
      )}
      <h2>Buckets of the account</h2>
      <ErrorBox error={buckets.error} />
      {buckets.data && buckets.data.length === 0 && <Empty>No buckets yet. Creating storage above makes one.</Empty>}
      {buckets.data && buckets.data.length > 0 && (
        <div class="scroll"><table class="list" aria-label="Buckets">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            {buckets.data.map((b) => (
              <tr key={b.Name}>
                <td><code>{b.Name}</code></td>
                <td>{formatTime(b.CreationDate)}</td>
              </tr>
            ))}
          </tbody>
        </table></div>
      )}
      <Confirm
        open={deleting}
        title={`Delete storage ${resourceName}?`}
        confirmLabel={`Delete ${resourceName}`}
        busy={action.busy}
        error={action.error}
        onCancel={() => setDeleting(false)}
        onConfirm={async () => {
          const out = await action.run(() => clients.backend.send(new DeleteBackendStorageCommand({ ...key, ServiceName: 'S3' })));
          if (out) {
            setDeleting(false);
            after('Storage deleted', out);
          }
        }}
      >
        <p>
          The storage <strong>{resourceName}</strong> of environment <strong>{env}</strong> will be deleted.
        </p>
      </Confirm>
    </div>
  );
}
