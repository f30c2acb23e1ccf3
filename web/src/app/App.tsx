import type { SessionInfo } from '@pier/contracts';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, Suspense, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import '../features/accounts/i18n';
import { SecondFactorPage } from '../features/accounts/SecondFactorPage';
import { SecurityPage } from '../features/accounts/SecurityPage';
import { ForgotPasswordPage, TokenPasswordPage } from '../features/accounts/TokenPasswordPage';
import { LoginPage } from '../features/auth/LoginPage';
import { SetupPage } from '../features/auth/SetupPage';
import { ComposePage } from '../features/composer/ComposePage';
import { CustomersPage } from '../features/customers/CustomersPage';
import { InboxPage } from '../features/inbox/InboxPage';
import { FaqPage } from '../features/knowledge/FaqPage';
import { NotificationSettingsPage } from '../features/push/NotificationSettingsPage';
import { useSession, useSetupStatus } from '../features/session/queries';
import { isAdminRole } from '../features/session/roles';
import { loadSettings } from '../features/settings/load';
import { applyAccountLocale, errorMessage } from '../i18n';
import { Logo } from '../ui/Wordmark';
import { createQueryClient } from './queryClient';
import { RouteErrorBoundary } from './RouteErrorBoundary';

/** Admin screens load on first visit: the inbox bundle does not carry them. */
const SettingsApp = lazy(() => loadSettings().then((module) => ({ default: module.SettingsApp })));

export function App() {
  const [queryClient] = useState(createQueryClient);
  return (
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <Boot />
      </BrowserRouter>
    </QueryClientProvider>
  );
}

/** Boot: is Pier set up? → is someone signed in? → the matching screen. */
function Boot() {
  const setup = useSetupStatus();
  const needsSetup = setup.data?.needsSetup;
  const session = useSession(needsSetup === false);
  const user = session.data?.user;

  useEffect(() => {
    if (user) applyAccountLocale(user.locale);
  }, [user]);

  if (setup.isError) return <BootFailure error={setup.error} onRetry={() => void setup.refetch()} />;
  if (needsSetup === undefined) return <Splash />;
  if (!needsSetup) {
    if (session.isError) return <BootFailure error={session.error} onRetry={() => void session.refetch()} />;
    if (session.data === undefined) return <Splash />;
  }
  return <AppRoutes needsSetup={needsSetup} session={session.data ?? null} />;
}

function AppRoutes({ needsSetup, session }: { needsSetup: boolean; session: SessionInfo | null }) {
  const home = needsSetup ? '/setup' : session ? '/' : '/login';
  // Signed in with the password only: the second factor (or its enrolment) comes before anything else.
  if (session && session.secondFactor !== 'done') return <SecondFactorPage session={session} />;
  return (
    <Routes>
      <Route path="/security" element={session && !needsSetup ? <SecurityPage session={session} /> : <Navigate to={home} replace />} />
      <Route
        path="/notifications"
        element={session && !needsSetup ? <NotificationSettingsPage session={session} /> : <Navigate to={home} replace />}
      />
      <Route path="/faq" element={session && !needsSetup ? <FaqPage session={session} /> : <Navigate to={home} replace />} />
      <Route path="/invitation" element={<TokenPasswordPage purpose="invite" />} />
      <Route path="/reset-password" element={<TokenPasswordPage purpose="reset" />} />
      <Route path="/forgot-password" element={session ? <Navigate to={home} replace /> : <ForgotPasswordPage />} />
      <Route path="/setup" element={needsSetup ? <SetupPage /> : <Navigate to={home} replace />} />
      <Route path="/login" element={!needsSetup && !session ? <LoginPage /> : <Navigate to={home} replace />} />
      <Route path="/" element={session && !needsSetup ? <InboxPage session={session} /> : <Navigate to={home} replace />} />
      <Route path="/customers" element={session && !needsSetup ? <CustomersPage session={session} /> : <Navigate to={home} replace />} />
      <Route path="/compose" element={session && !needsSetup ? <ComposePage /> : <Navigate to={home} replace />} />
      <Route
        path="/settings/*"
        element={
          session && !needsSetup ? (
            isAdminRole(session.user.role) || session.user.role === 'auditor' ? (
              <RouteErrorBoundary>
                <Suspense fallback={<Splash />}>
                  <SettingsApp session={session} />
                </Suspense>
              </RouteErrorBoundary>
            ) : (
              <Navigate to="/" replace />
            )
          ) : (
            <Navigate to={home} replace />
          )
        }
      />
      <Route path="*" element={<Navigate to={home} replace />} />
    </Routes>
  );
}

function Splash() {
  const { t } = useTranslation();
  return (
    <div className="splash" aria-busy="true">
      <Logo size={32} />
      <div className="spinner" aria-hidden="true" />
      <span className="visually-hidden">{t('boot.loading')}</span>
    </div>
  );
}

function BootFailure({ error, onRetry }: { error: unknown; onRetry: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="splash">
      <div className="splash-card" role="alert">
        <Logo size={32} />
        <h1>{t('boot.failedTitle')}</h1>
        <p>{t('boot.failedHint')}</p>
        <p className="muted">{errorMessage(error)}</p>
        <button type="button" className="btn" onClick={onRetry}>
          {t('common.retry')}
        </button>
      </div>
    </div>
  );
}
