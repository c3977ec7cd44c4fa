/** Jobs of an environment: filters, pages, live while one RUNS, cancel a running one. */
import { ListBackendJobsCommand, UpdateBackendJobCommand } from '@aws-sdk/client-amplifybackend';
import { useEffect, useRef, useState } from 'preact/hooks';
import { Empty, ErrorBox } from '../components/ui';
import { useConsole } from '../context';
import { formatTime } from '../format';
import { useAction, useLoad } from '../hooks';
import { anyRunning, listInput, PageTokens, REFRESH_MS, STATUSES, type JobFilters } from '../jobs';

export function JobsPanel({
  appId,
  env,
  compact = false,
  onIdle,
}: {
  appId: string;
  env: string;
  compact?: boolean;
  /** Called when the last running job stops: what it changed can be read again. */
  onIdle?: () => void;
}) {
  const { clients } = useConsole();
  const [filters, setFilters] = useState<JobFilters>({ status: '', operation: '' });
  const tokens = useRef(new PageTokens());
  const [page, setPage] = useState(1);
  const jobs = useLoad(
    () => clients.backend.send(new ListBackendJobsCommand(listInput(appId, env, filters, tokens.current.current))),
    [clients, appId, env, filters, page],
  );
  const cancel = useAction();
  const running = anyRunning(jobs.data?.Jobs);

  const wasRunning = useRef(false);
  useEffect(() => {
    if (wasRunning.current && !running) onIdle?.();
    wasRunning.current = running;
  }, [running]);

  // Live while something runs: refresh about every second, stop once nothing does.
  useEffect(() => {
    if (!running || jobs.loading) return;
    const timer = setTimeout(jobs.reload, REFRESH_MS);
    return () => clearTimeout(timer);
  }, [running, jobs.loading, jobs.data]);

  const setFilter = (next: JobFilters) => {
    tokens.current.reset();
    setPage(1);
    setFilters(next);
  };
  const list = jobs.data?.Jobs ?? [];
  return (
    <div class="jobs" data-live={running ? 'yes' : 'no'}>
      {!compact && (
        <form class="row filters" onSubmit={(e) => e.preventDefault()} aria-label="Job filters">
          <label>
            <span class="label">Status</span>
            <select name="status" value={filters.status} onChange={(e) => setFilter({ ...filters, status: e.currentTarget.value })}>
              <option value="">Any</option>
              {STATUSES.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label>
            <span class="label">Operation</span>
            <input
              name="operation"
              placeholder="e.g. CreateBackendAuth"
              value={filters.operation}
              onChange={(e) => setFilter({ ...filters, operation: e.currentTarget.value })}
            />
          </label>
          <button type="button" onClick={jobs.reload}>
            Refresh
          </button>
        </form>
      )}
      <p class="muted small" aria-live="polite">
        {running ? 'A job is running: this list refreshes itself every second.' : 'No job is running.'}
      </p>
      <ErrorBox error={jobs.error} />
      <ErrorBox error={cancel.error} />
      {jobs.data && list.length === 0 && (
        <Empty>
          {filters.status || filters.operation
            ? 'No job matches these filters. Clear them to see every job.'
            : 'No jobs yet. Jobs appear when you create or change auth, data or storage.'}
        </Empty>
      )}
      {list.length > 0 && (
        <div class="scroll">
          <table class="list" aria-label="Jobs">
            <thead>
              <tr>
                <th scope="col">Operation</th>
                <th scope="col">Status</th>
                {!compact && <th scope="col" class="job-id">Job id</th>}
                <th scope="col" class="job-time">Updated</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((job) => (
                <tr key={job.JobId} data-job-id={job.JobId}>
                  <td>{job.Operation}</td>
                  <td>
                    <span class={`status ${String(job.Status).toLowerCase()}`}>{job.Status}</span>
                    {job.Error && <div class="error-text small">{job.Error}</div>}
                  </td>
                  {!compact && (
                    <td class="job-id">
                      <code class="small">{job.JobId}</code>
                    </td>
                  )}
                  <td class="job-time">{formatTime(job.UpdateTime ?? job.CreateTime)}</td>
                  <td class="row-actions">
                    {job.Status === 'RUNNING' && (
                      <button
                        type="button"
                        class="danger"
                        disabled={cancel.busy}
                        aria-label={`Cancel job ${job.Operation ?? ''} ${job.JobId ?? ''}`}
                        onClick={async () => {
                          const out = await cancel.run(() =>
                            clients.backend.send(
                              new UpdateBackendJobCommand({
                                AppId: appId,
                                BackendEnvironmentName: env,
                                JobId: job.JobId ?? '',
                                Status: 'FAILED',
                              }),
                            ),
                          );
                          if (out) jobs.reload();
                        }}
                      >
                        Cancel
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {!compact && (tokens.current.hasPrevious || jobs.data?.NextToken) && (
        <div class="row pager">
          <button
            type="button"
            disabled={!tokens.current.hasPrevious}
            onClick={() => {
              tokens.current.previous();
              setPage(tokens.current.page);
            }}
          >
            Previous page
          </button>
          <span>Page {page}</span>
          <button
            type="button"
            disabled={!jobs.data?.NextToken}
            onClick={() => {
              const next = jobs.data?.NextToken;
              if (!next) return;
              tokens.current.next(next);
              setPage(tokens.current.page);
            }}
          >
            Next page
          </button>
        </div>
      )}
    </div>
  );
}
