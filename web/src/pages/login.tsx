// Sign-in. On the embedded default, `npm start` prints the demo owner's email and password.
import { type FormEvent, useState } from 'react';
import { ApiError, api } from '../api.ts';
import { Button, ErrorBox, Field } from '../components/ui.tsx';
import { defineText, useText } from '../i18n.tsx';

const text = defineText(
  {
    title: 'Sign in to Ardent',
    email: 'Email',
    password: 'Password',
    organisation: 'Organisation',
    organisationHint: 'This email belongs to several organisations: give the one to open.',
    submit: 'Sign in',
    demo: 'Trying Ardent? The demo owner’s email and password were printed in the terminal where you ran npm start.',
  },
  {
    title: 'Connexion à Ardent',
    email: 'E-mail',
    password: 'Mot de passe',
    organisation: 'Organisation',
    organisationHint: 'Cet e-mail appartient à plusieurs organisations : indiquez celle à ouvrir.',
    submit: 'Se connecter',
    demo: 'Vous découvrez Ardent ? L’e-mail et le mot de passe du propriétaire de démonstration sont affichés dans le terminal où vous avez lancé npm start.',
  },
);

export default function Login({ onSignedIn }: { onSignedIn: () => void }) {
  const t = useText(text);
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [organisation, setOrganisation] = useState('');
  const [askOrganisation, setAskOrganisation] = useState(false);
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await api.post('/auth/login', { email, password, ...(organisation ? { organisation } : {}) });
      onSignedIn();
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) setAskOrganisation(true);
      setError(e instanceof ApiError ? e : new ApiError(0, 'Network', String(e)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">
          <span className="logo" aria-hidden="true" /> {t.title}
        </h1>
        <Field label={t.email}>
          <input
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
        </Field>
        <Field label={t.password}>
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        {askOrganisation ? (
          <Field label={t.organisation} hint={t.organisationHint}>
            <input value={organisation} onChange={(e) => setOrganisation(e.target.value)} />
          </Field>
        ) : null}
        {error ? <ErrorBox error={error} /> : null}
        <Button type="submit" variant="primary" busy={busy}>
          {t.submit}
        </Button>
        <p className="muted small">{t.demo}</p>
      </form>
    </main>
  );
}
