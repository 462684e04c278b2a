// Account Settings → Access Control, with its header tabs as the documents name them.
import { Tabs } from '@mantine/core';
import { useNavigate, useParams } from 'react-router-dom';
import { useScopedPath } from '../../app/scope';
import { PageHeader } from '../../components/PageHeader';
import { NotFoundPage } from '../NotFoundPage';
import { ApiKeysTab } from './ApiKeysTab';
import { ResourceGroupsTab } from './ResourceGroupsTab';
import { RolesTab } from './RolesTab';
import { ServiceAccountsTab } from './ServiceAccountsTab';
import { UserGroupsTab } from './UserGroupsTab';
import { UsersTab } from './UsersTab';

export const ACCESS_CONTROL_TABS = [
  { value: 'users', label: 'Users', Component: UsersTab },
  { value: 'user-groups', label: 'User Groups', Component: UserGroupsTab },
  { value: 'service-accounts', label: 'Service Accounts', Component: ServiceAccountsTab },
  { value: 'roles', label: 'Roles', Component: RolesTab },
  { value: 'resource-groups', label: 'Resource Groups', Component: ResourceGroupsTab },
  { value: 'api-keys', label: 'API Keys', Component: ApiKeysTab },
] as const;

export function AccessControlPage() {
  const { tab } = useParams();
  const navigate = useNavigate();
  const scoped = useScopedPath();
  const current = ACCESS_CONTROL_TABS.find((t) => t.value === tab);
  if (!current) return <NotFoundPage />;
  return (
    <>
      {/* Named as both documents name it: the older one reaches it by Security → Access Management. */}
      <PageHeader title="Access Control" documentTitle={`${current.label} · Access Control`}
        description="Who may do what in this scope, and every API key in it. Older documentation calls this page Security → Access Management."
        trail={[{ label: 'Account Settings', to: '/account-settings' }]} />
      {/* Every tab has the panel it controls (named by the tab); only the one shown has its content. */}
      <Tabs value={current.value} onChange={(v) => v && navigate(scoped(`/account-settings/access-control/${v}`))} keepMounted={false}>
        <Tabs.List aria-label="Access Control">
          {ACCESS_CONTROL_TABS.map((t) => <Tabs.Tab key={t.value} value={t.value}>{t.label}</Tabs.Tab>)}
        </Tabs.List>
        {ACCESS_CONTROL_TABS.map((t) => <Tabs.Panel key={t.value} value={t.value} mt="lg"><t.Component /></Tabs.Panel>)}
      </Tabs>
    </>
  );
}
