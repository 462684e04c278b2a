// Routes, behind the sign-in gate. Every path keeps the scope in its query string.
import { Box, Center, Loader } from '@mantine/core';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { ErrorState } from '../components/states';
import { AccessControlPage } from '../pages/access-control/AccessControlPage';
import { ServiceAccountDetailPage } from '../pages/access-control/ServiceAccountDetailPage';
import { AccountSettingsPage } from '../pages/AccountSettingsPage';
import { AuditTrailPage } from '../pages/AuditTrailPage';
import { LoginPage } from '../pages/LoginPage';
import { NotFoundPage } from '../pages/NotFoundPage';
import { OrganizationsPage } from '../pages/OrganizationsPage';
import { ProfilePage } from '../pages/ProfilePage';
import { ProjectsPage } from '../pages/ProjectsPage';
import { useSession } from './session';
import { Shell } from './Shell';

export function App() {
  const { user, loading, probeError, probeAgain } = useSession();
  const location = useLocation();

  if (loading) {
    return <Center h="100vh" role="status" aria-label="Loading"><Loader /></Center>;
  }
  // Neither "signed in" nor "not signed in" (a 401): the server failed or could not be reached. The
  // sign-in form would not help, so say what failed.
  if (probeError) {
    return (
      <Center mih="100vh" p="md">
        <Box w="100%" maw={520}>
          <ErrorState error={probeError} what="your session" onRetry={probeAgain} />
        </Box>
      </Center>
    );
  }
  if (!user) return <LoginPage />;
  if (location.pathname === '/login') return <Navigate to="/profile" replace />;

  return (
    <Shell>
      <Routes>
        <Route path="/" element={<Navigate to={`/profile${location.search}`} replace />} />
        <Route path="/profile" element={<ProfilePage />} />
        <Route path="/account-settings" element={<AccountSettingsPage />} />
        <Route path="/account-settings/access-control" element={<Navigate to={`/account-settings/access-control/users${location.search}`} replace />} />
        <Route path="/account-settings/access-control/service-accounts/:identifier" element={<ServiceAccountDetailPage />} />
        <Route path="/account-settings/access-control/:tab" element={<AccessControlPage />} />
        <Route path="/account-settings/organizations" element={<OrganizationsPage />} />
        <Route path="/account-settings/projects" element={<ProjectsPage />} />
        <Route path="/account-settings/audit-trail" element={<AuditTrailPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </Shell>
  );
}
