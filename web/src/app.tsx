// The shell: sign-in when there is no session, else the navigation and the page the address names.
// Every page but the overview is loaded when first opened, so that the first load stays small.
import { lazy, type ReactNode, Suspense, useCallback, useEffect, useState } from 'react';
import { ApiError, api, whenSignedOut } from './api.ts';
import { ErrorBox, Loading, NoticeProvider } from './components/ui.tsx';
import { defineText, type Lang, LangProvider, pickLang, useText } from './i18n.tsx';
import Login from './pages/login.tsx';
import Overview from './pages/overview.tsx';
import { Link, match, navigate, useLocation } from './router.tsx';
import { type Me, SessionContext } from './session.tsx';

const Queue = lazy(() => import('./pages/queue.tsx'));
const Customers = lazy(() => import('./pages/customers.tsx'));
const Customer = lazy(() => import('./pages/customer.tsx'));
const Invoices = lazy(() => import('./pages/invoices.tsx'));
const Invoice = lazy(() => import('./pages/invoice.tsx'));
const Tasks = lazy(() => import('./pages/tasks.tsx'));
const Imports = lazy(() => import('./pages/imports.tsx'));
const Settings = lazy(() => import('./pages/settings.tsx'));

const text = defineText(
  {
    nav: 'Main',
    overview: 'Overview',
    queue: 'Queue',
    customers: 'Customers',
    invoices: 'Invoices',
    tasks: 'Tasks',
    imports: 'Imports',
    settings: 'Settings',
    signOut: 'Sign out',
    menu: 'Menu',
    language: 'Language',
    notFound: 'There is no such page.',
    skip: 'Skip to content',
  },
  {
    nav: 'Principal',
    overview: 'Vue d’ensemble',
    queue: 'File de relances',
    customers: 'Clients',
    invoices: 'Factures',
    tasks: 'Tâches',
    imports: 'Imports',
    settings: 'Réglages',
    signOut: 'Se déconnecter',
    menu: 'Menu',
    language: 'Langue',
    notFound: 'Cette page n’existe pas.',
    skip: 'Aller au contenu',
  },
);

const LANG_KEY = 'ardent.lang';

function storedLang(): Lang | null {
  const v = window.localStorage.getItem(LANG_KEY);
  return v === 'fr' || v === 'en' ? v : null;
}

const ROUTES: { pattern: string; render: (p: Record<string, string>) => ReactNode }[] = [
  { pattern: '/', render: () => <Overview /> },
  { pattern: '/queue', render: () => <Queue /> },
  { pattern: '/customers', render: () => <Customers /> },
  { pattern: '/customers/:ref', render: (p) => <Customer customerRef={p.ref!} /> },
  { pattern: '/invoices', render: () => <Invoices /> },
  { pattern: '/invoices/:number', render: (p) => <Invoice number={p.number!} /> },
  { pattern: '/tasks', render: () => <Tasks /> },
  { pattern: '/imports', render: () => <Imports /> },
  { pattern: '/settings', render: () => <Settings /> },
];

function PageFor({ path }: { path: string }) {
  const t = useText(text);
  for (const r of ROUTES) {
    const params = match(r.pattern, path);
    if (params) return <>{r.render(params)}</>;
  }
  return <p className="empty">{t.notFound}</p>;
}

function Shell({
  me,
  lang,
  setLang,
  signOut,
}: {
  me: Me;
  lang: Lang;
  setLang: (l: Lang) => void;
  signOut: () => void;
}) {
  const t = useText(text);
  const { path } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  // A new page closes the phone's menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: path is the trigger
  useEffect(() => setMenuOpen(false), [path]);
  const links: [string, string][] = [
    ['/', t.overview],
    ['/queue', t.queue],
    ['/customers', t.customers],
    ['/invoices', t.invoices],
    ['/tasks', t.tasks],
    ['/imports', t.imports],
    ['/settings', t.settings],
  ];
  const isCurrent = (href: string) =>
    href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
  return (
    <div className="shell">
      <a className="skip" href="#main">
        {t.skip}
      </a>
      <header className="topbar">
        <Link href="/" className="brand">
          <span className="logo" aria-hidden="true" />
          Ardent
        </Link>
        <span className="org" title={me.organisation.slug}>
          {me.organisation.name}
        </span>
        <button
          type="button"
          className="btn btn-quiet menu-toggle"
          aria-expanded={menuOpen}
          aria-controls="nav"
          onClick={() => setMenuOpen((o) => !o)}
        >
          {t.menu}
        </button>
      </header>
      <nav id="nav" aria-label={t.nav} className={menuOpen ? 'nav open' : 'nav'}>
        <ul>
          {links.map(([href, label]) => (
            <li key={href}>
              <Link href={href} aria-current={isCurrent(href) ? 'page' : undefined}>
                {label}
              </Link>
            </li>
          ))}
        </ul>
        <div className="nav-foot">
          <label className="lang">
            <span>{t.language}</span>
            <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
              <option value="fr">Français</option>
              <option value="en">English</option>
            </select>
          </label>
          <p className="who">{me.member?.name ?? me.member?.email}</p>
          <button type="button" className="btn btn-quiet" onClick={signOut}>
            {t.signOut}
          </button>
        </div>
      </nav>
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <PageFor path={path} />
        </Suspense>
      </main>
    </div>
  );
}

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [error, setError] = useState<Error>();
  const [override, setOverride] = useState<Lang | null>(storedLang);

  const refresh = useCallback(() => {
    api.get<Me>('/auth/me').then(setMe, (e) => {
      if (e instanceof ApiError && e.status === 401) setMe(null);
      else setError(e);
    });
  }, []);
  useEffect(() => {
    whenSignedOut(() => setMe(null));
    refresh();
  }, [refresh]);

  const lang = override ?? pickLang(me?.member?.language ?? me?.organisation.language);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = (l: Lang) => {
    window.localStorage.setItem(LANG_KEY, l);
    setOverride(l);
  };
  const signOut = () => {
    api.post('/auth/logout').finally(() => {
      setMe(null);
      navigate('/');
    });
  };

  let body: ReactNode;
  if (error) body = <ErrorBox error={error} onRetry={() => window.location.reload()} />;
  else if (me === undefined) body = <Loading />;
  else if (me === null) body = <Login onSignedIn={refresh} />;
  else
    body = (
      <SessionContext.Provider value={{ me, signOut, refresh }}>
        <Shell me={me} lang={lang} setLang={setLang} signOut={signOut} />
      </SessionContext.Provider>
    );
  return (
    <LangProvider lang={lang}>
      <NoticeProvider>{body}</NoticeProvider>
    </LangProvider>
  );
}
