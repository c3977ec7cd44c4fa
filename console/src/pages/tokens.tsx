/** Tokens: CreateToken's challenge with its expiry counting down; look one up; delete it. */
import { CreateTokenCommand, DeleteTokenCommand, GetTokenCommand } from '@aws-sdk/client-amplifybackend';
import { useEffect, useState } from 'preact/hooks';
import { ErrorBox, Field } from '../components/ui';
import { useConsole } from '../context';
import { formatRemaining } from '../format';
import { useAction } from '../hooks';

interface Token {
  sessionId: string;
  challengeCode: string;
  expiresAt: number;
}

/**
 * When a token expires, in epoch milliseconds: the API's `ttl` is the expiry in epoch
 * seconds; a small number is taken as seconds from `now`.
 */
export function expiryOf(ttl: string | undefined, now: number): number {
  const seconds = Number(ttl);
  if (!Number.isFinite(seconds)) return now;
  return seconds >= 1e9 ? seconds * 1000 : now + seconds * 1000;
}

export function TokensTab({ appId }: { appId: string }) {
  const { clients } = useConsole();
  const action = useAction();
  const [token, setToken] = useState<Token | undefined>(undefined);
  const [lookup, setLookup] = useState('');
  const [now, setNow] = useState(Date.now());
  const [notice, setNotice] = useState<string | undefined>(undefined);
  useEffect(() => {
    if (!token) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [token]);
  const show = (sessionId: string, out: { ChallengeCode?: string | undefined; Ttl?: string | undefined }) => {
    const at = Date.now();
    setNow(at);
    setToken({ sessionId, challengeCode: out.ChallengeCode ?? '', expiresAt: expiryOf(out.Ttl, at) });
  };
  return (
    <div class="stack">
      <p class="muted">Challenge tokens let the Amplify CLI sign in to this app from Studio.</p>
      {notice && <p class="notice" role="status">{notice}</p>}
      <div class="actions">
        <button
          type="button"
          class="primary"
          disabled={action.busy}
          onClick={async () => {
            setNotice(undefined);
            const out = await action.run(() => clients.backend.send(new CreateTokenCommand({ AppId: appId })));
            if (out?.SessionId) show(out.SessionId, out);
          }}
        >
          Create token
        </button>
      </div>
      <form
        class="row"
        onSubmit={async (e) => {
          e.preventDefault();
          const id = lookup.trim();
          const out = await action.run(() => clients.backend.send(new GetTokenCommand({ AppId: appId, SessionId: id })));
          if (out) show(out.SessionId ?? id, out);
        }}
      >
        <Field label="Session id">
          <input name="sessionId" required value={lookup} onInput={(e) => setLookup(e.currentTarget.value)} />
        </Field>
        <button type="submit" disabled={action.busy}>Look up (GetToken)</button>
      </form>
      <ErrorBox error={action.error} />
      {token ? (
        <div class="card token" aria-label="Token">
          <dl>
            <dt>Session id</dt>
            <dd><code class="session-id">{token.sessionId}</code></dd>
            <dt>Challenge code</dt>
            <dd><code class="challenge-code">{token.challengeCode}</code></dd>
            <dt>Expires in</dt>
            <dd class="countdown" aria-live="off">{formatRemaining(token.expiresAt, now)}</dd>
          </dl>
          <button
            type="button"
            class="danger"
            disabled={action.busy}
            onClick={async () => {
              const out = await action.run(() => clients.backend.send(new DeleteTokenCommand({ AppId: appId, SessionId: token.sessionId })));
              if (out) {
                setNotice(`Token ${token.sessionId} deleted.`);
                setToken(undefined);
              }
            }}
          >
            Delete token
          </button>
        </div>
      ) : (
        <p class="empty">No token shown. Create one, or look one up by its session id.</p>
      )}
    </div>
  );
}
