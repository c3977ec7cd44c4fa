/** Sign-in with access keys (servers started with --credentials); kept in sessionStorage. */
import { useState } from 'preact/hooks';
import { Field } from '../components/ui';
import { DEFAULT_REGION, isRegion, type Session } from '../session';

export function SignInPage({
  reason,
  session,
  onSignedIn,
}: {
  reason: string | undefined;
  session: Session;
  onSignedIn: (s: Session) => void;
}) {
  const [accessKeyId, setAccessKeyId] = useState(session.kind === 'signed-in' ? session.accessKeyId : '');
  const [secretAccessKey, setSecret] = useState('');
  const [sessionToken, setToken] = useState('');
  const [region, setRegion] = useState(session.region || DEFAULT_REGION);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  return (
    <section class="narrow">
      <h1>Sign in</h1>
      {reason && (
        <div class="error" role="alert">
          <strong>The server refused the request.</strong> {reason}
        </div>
      )}
      <p class="muted">
        Sign in with an access key of the server's credentials file. The keys stay in this tab (sessionStorage) and
        sign every request with SigV4.
      </p>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          if (!accessKeyId.trim() || !secretAccessKey) return setProblem('Enter the access key id and its secret.');
          if (!isRegion(region.trim())) return setProblem(`"${region}" is not a region (like us-east-1).`);
          setProblem(undefined);
          const token = sessionToken.trim();
          onSignedIn(
            token
              ? { kind: 'signed-in', accessKeyId: accessKeyId.trim(), secretAccessKey, sessionToken: token, region: region.trim() }
              : { kind: 'signed-in', accessKeyId: accessKeyId.trim(), secretAccessKey, region: region.trim() },
          );
        }}
      >
        <Field label="Access key id">
          <input name="accessKeyId" required autoComplete="username" value={accessKeyId} onInput={(e) => setAccessKeyId(e.currentTarget.value)} />
        </Field>
        <Field label="Secret access key">
          <input name="secretAccessKey" type="password" required autoComplete="current-password" value={secretAccessKey} onInput={(e) => setSecret(e.currentTarget.value)} />
        </Field>
        <Field label="Session token (optional)">
          <input name="sessionToken" type="password" autoComplete="off" value={sessionToken} onInput={(e) => setToken(e.currentTarget.value)} />
        </Field>
        <Field label="Region">
          <input name="region" required value={region} onInput={(e) => setRegion(e.currentTarget.value)} />
        </Field>
        {problem && (
          <p class="error" role="alert">
            {problem}
          </p>
        )}
        <div class="actions">
          <button type="submit" class="primary">Sign in</button>
        </div>
      </form>
    </section>
  );
}
