import { useState, type FormEvent } from "react";
import { useLocation, useNavigate } from "react-router-dom";
import { signIn } from "../auth/session";
import { api, unwrapPage } from "../api/client";
import { ErrorMessage } from "../components/Status";

/** Paste an API key; it is checked against the API before the dashboard opens. */
export function SignInPage() {
  const [key, setKey] = useState("");
  const [error, setError] = useState<unknown>(null);
  const [checking, setChecking] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from;

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(null);
    setChecking(true);
    // Checked before it is kept: signing in switches the whole app to the dashboard.
    const candidate = key.trim();
    try {
      await unwrapPage(
        api.GET("/api/agents", { params: { query: { limit: 1 } }, headers: { Authorization: `Bearer ${candidate}` } }),
      );
    } catch (failure) {
      setError(failure);
      setChecking(false);
      return;
    }
    signIn(candidate);
    navigate(from && from !== "/sign-in" ? from : "/agents", { replace: true });
  }

  return (
    <main className="sign-in">
      <form onSubmit={submit} className="card">
        <h1>Sign in to Vox</h1>
        <p className="muted">
          Paste an API key. <code>scripts/run</code> prints a link that signs you in with the bootstrap key; <code>voxctl keys create</code> makes
          another. The key is kept for this browser tab only.
        </p>
        <label htmlFor="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          autoFocus
          required
          value={key}
          onChange={(event) => setKey(event.target.value)}
          placeholder="vox_…"
        />
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={checking || key.trim() === ""}>
          {checking ? "Checking…" : "Sign in"}
        </button>
      </form>
    </main>
  );
}
