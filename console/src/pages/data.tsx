/** Data: the GraphQL schema, saved with Create/UpdateBackendAPI, and its generated models. */
import {
  CreateBackendAPICommand,
  GenerateBackendAPIModelsCommand,
  GetBackendAPICommand,
  GetBackendAPIModelsCommand,
  GetBackendJobCommand,
  UpdateBackendAPICommand,
} from '@aws-sdk/client-amplifybackend';
import { useState } from 'preact/hooks';
import { errorPosition, isRefusal, toApiError, type ApiError } from '../api';
import { SchemaEditor, type EditorError } from '../components/editor';
import { ErrorBox, Field } from '../components/ui';
import { useConsole } from '../context';
import { STARTER_SCHEMA } from '../graphql';
import { useAction, useLoad } from '../hooks';
import { waitForJob } from '../jobs';
import type { EnvProps } from './environment';

type Props = EnvProps & { names: string[]; onChange: () => void };

function prettyJson(text: string | undefined): string {
  if (!text) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function DataTab({ appId, env, names, onChange }: Props) {
  const { clients } = useConsole();
  const [resourceName, setResourceName] = useState(names[0] ?? '');
  const name = resourceName || names[0] || 'api';
  const key = { AppId: appId, BackendEnvironmentName: env, ResourceName: name };
  const [schema, setSchema] = useState<string | undefined>(undefined);
  const [schemaError, setSchemaError] = useState<EditorError | undefined>(undefined);
  const api = useLoad(async () => {
    try {
      const out = await clients.backend.send(new GetBackendAPICommand(key));
      return { exists: true, schema: out.ResourceConfig?.TransformSchema ?? '', apiName: out.ResourceConfig?.ApiName };
    } catch (e) {
      const err = toApiError(e);
      if (err.code === 'NotFoundException' && !isRefusal(err)) return { exists: false, schema: STARTER_SCHEMA, apiName: undefined };
      throw e;
    }
  }, [clients, appId, env, name]);
  const models = useLoad(
    () => clients.backend.send(new GetBackendAPIModelsCommand(key)).catch((e: unknown) => {
      if (toApiError(e).code === 'NotFoundException') return undefined;
      throw e;
    }),
    [clients, appId, env, name],
  );
  const action = useAction();
  const [jobNote, setJobNote] = useState<string | undefined>(undefined);
  const text = schema ?? api.data?.schema ?? '';

  /** Shows an error at its line and column when it names them. */
  const place = (err: ApiError | { message: string }) => {
    const at = errorPosition(err.message);
    setSchemaError(at ? { ...at, message: err.message } : undefined);
  };

  const awaitJob = async (jobId: string | undefined, what: string) => {
    if (!jobId) return undefined;
    setJobNote(`${what}: job ${jobId} is running…`);
    const job = await waitForJob(() =>
      clients.backend.send(new GetBackendJobCommand({ AppId: appId, BackendEnvironmentName: env, JobId: jobId })),
    );
    setJobNote(`${what}: job ${jobId} ${job.Status ?? ''}.`);
    return job;
  };

  const save = async () => {
    setSchemaError(undefined);
    const done = await action.run(async () => {
      try {
        return await saveAndWait();
      } catch (e) {
        place(toApiError(e));
        throw e;
      }
    });
    if (!done) return;
    if (done.Status === 'FAILED' && done.Error) place({ message: done.Error });
    api.reload();
    models.reload();
    onChange();
  };

  const saveAndWait = async () => {
    const config = { ApiName: api.data?.apiName ?? name, TransformSchema: text };
    const out = api.data?.exists
      ? await clients.backend.send(new UpdateBackendAPICommand({ ...key, ResourceConfig: config }))
      : await clients.backend.send(
          new CreateBackendAPICommand({
            ...key,
            ResourceConfig: {
              ...config,
              Service: 'AppSync',
              DefaultAuthType: { Mode: 'API_KEY', Settings: { ExpirationTime: 7 } },
            },
          }),
        );
    return awaitJob(out.JobId, 'Save');
  };

  const generate = async () => {
    setSchemaError(undefined);
    const job = await action.run(async () => {
      const out = await clients.backend.send(new GenerateBackendAPIModelsCommand(key));
      return awaitJob(out.JobId, 'Generate models');
    });
    if (job?.Status === 'FAILED' && job.Error) place({ message: job.Error });
    models.reload();
  };

  const failure = action.error;
  return (
    <div class="stack">
      <div class="row">
        {names.length > 1 ? (
          <Field label="API">
            <select name="apiResource" value={name} onChange={(e) => setResourceName(e.currentTarget.value)}>
              {names.map((n) => (
                <option key={n}>{n}</option>
              ))}
            </select>
          </Field>
        ) : (
          <Field label="API resource name">
            <input
              name="apiResource"
              value={name}
              readOnly={names.length === 1}
              onChange={(e) => { setSchema(undefined); setResourceName(e.currentTarget.value); }}
            />
          </Field>
        )}
        <span class="muted">{api.data && !api.data.exists ? 'New API: saving creates it.' : ''}</span>
      </div>
      <ErrorBox error={api.error} />
      <h2 id="schema-label">GraphQL schema</h2>
      {api.data && (
        <SchemaEditor
          label="GraphQL schema"
          value={text}
          onChange={(v) => {
            setSchema(v);
          }}
          error={schemaError}
        />
      )}
      {schemaError && (
        <p class="error schema-error" role="alert">
          Line {schemaError.line}, column {schemaError.column}: {schemaError.message}
        </p>
      )}
      <ErrorBox error={failure} />
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={action.busy || !api.data}
          onClick={save}
        >
          Save schema
        </button>
        <button type="button" disabled={action.busy || !api.data?.exists} onClick={generate}>
          Generate models
        </button>
      </div>
      {jobNote && (
        <p class="muted" role="status">
          {jobNote}
        </p>
      )}
      <h2>
        Models{' '}
        {models.data?.Status && <span class={`status ${models.data.Status.toLowerCase()}`}>{models.data.Status}</span>}
      </h2>
      <ErrorBox error={models.error} />
      {!models.data?.Models && !models.data?.ModelIntrospectionSchema ? (
        <p class="empty">No models generated yet. Save the schema, then press Generate models.</p>
      ) : (
        <div class="columns">
          <figure class="code">
            <figcaption>modelIntrospection</figcaption>
            <pre tabIndex={0} aria-label="modelIntrospection" class="model-introspection">
              {prettyJson(models.data?.ModelIntrospectionSchema)}
            </pre>
          </figure>
          <figure class="code">
            <figcaption>schema.js</figcaption>
            <pre tabIndex={0} aria-label="schema.js" class="models-js">
              {models.data?.Models}
            </pre>
          </figure>
        </div>
      )}
    </div>
  );
}
