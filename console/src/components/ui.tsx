/** Building blocks shared by the screens. */
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiError } from '../api';
import { useConsole } from '../context';
import { routePath, type Route } from '../routes';

/** An API error, with its code, next to what caused it. */
export function ErrorBox({ error }: { error: ApiError | undefined }) {
  if (!error) return null;
  return (
    <div class="error" role="alert">
      <strong class="error-code">{error.code}</strong>
      {error.status !== undefined && <span class="error-status"> (HTTP {error.status})</span>}
      <span class="error-message">: {error.message}</span>
    </div>
  );
}

/** The end of a resource's form: the last error, the button that creates or updates
 * it, and, once it exists, the one that asks to delete it. */
export function ResourceFormActions({
  noun,
  exists,
  busy,
  error,
  onDelete,
}: {
  noun: string;
  exists: boolean;
  busy: boolean;
  error: ApiError | undefined;
  onDelete: () => void;
}) {
  return (
    <>
      <ErrorBox error={error} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {exists ? `Update ${noun}` : `Create ${noun}`}
        </button>
        {exists && (
          <button type="button" class="danger" onClick={onDelete}>
            Delete {noun}
          </button>
        )}
      </div>
    </>
  );
}

/** A link to a route that navigates without reloading the page. */
export function Link({
  to,
  children,
  class: className,
  'aria-current': current,
}: {
  to: Route;
  children: ComponentChildren;
  class?: string;
  'aria-current'?: 'page' | undefined;
}) {
  const { navigate } = useConsole();
  const href = routePath(to);
  return (
    <a
      class={className}
      aria-current={current}
      href={href}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/** What an empty list says to do next. */
export function Empty({ children }: { children: ComponentChildren }) {
  return <p class="empty">{children}</p>;
}

/** A modal confirmation that names what it acts on; Escape or Cancel closes it. */
export function Confirm({
  open,
  title,
  children,
  confirmLabel,
  busy,
  error,
  onConfirm,
  onCancel,
}: {
  open: boolean;
  title: string;
  children: ComponentChildren;
  confirmLabel: string;
  busy?: boolean;
  error?: ApiError | undefined;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);
  return (
    <dialog ref={ref} aria-labelledby="confirm-title" onCancel={(e) => { e.preventDefault(); onCancel(); }}>
      <h2 id="confirm-title">{title}</h2>
      <div>{children}</div>
      <ErrorBox error={error} />
      <div class="actions">
        <button type="button" onClick={onCancel}>Cancel</button>
        <button type="button" class="danger" disabled={busy} onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </dialog>
  );
}

/** JSON as a tree of nested, collapsible sections. */
export function Tree({ value, name }: { value: unknown; name?: string }) {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
    const body = (
      <ul class="tree">
        {entries.length === 0 && <li class="muted">{Array.isArray(value) ? '[]' : '{}'}</li>}
        {entries.map(([k, v]) => (
          <li key={k}>
            <Tree value={v} name={k} />
          </li>
        ))}
      </ul>
    );
    if (name === undefined) return body;
    return (
      <details open>
        <summary>
          <span class="key">{name}</span>
        </summary>
        {body}
      </details>
    );
  }
  return (
    <span>
      {name !== undefined && <span class="key">{name}: </span>}
      <span class={`value ${typeof value}`}>{JSON.stringify(value)}</span>
    </span>
  );
}

/** A labelled form field. */
export function Field({ label, children, hint }: { label: string; children: ComponentChildren; hint?: string }) {
  return (
    <label class="field">
      <span class="label">{label}</span>
      {children}
      {hint && <span class="hint">{hint}</span>}
    </label>
  );
}
