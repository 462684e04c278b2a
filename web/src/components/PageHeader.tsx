// A page's title, where it sits (breadcrumbs) and the scope it shows.
import type { ReactNode } from 'react';
import { Anchor, Badge, Breadcrumbs, Group, Stack, Text, Title } from '@mantine/core';
import { Link } from 'react-router-dom';
import { useDocumentTitle } from '../app/documentTitle';
import { useScope, useScopedPath } from '../app/scope';

interface PageHeaderProps {
  title: string;
  /** The browser's title, when it says more than `title` (the tab of Access Control shown). */
  documentTitle?: string;
  description?: ReactNode;
  trail?: { label: string; to: string }[];
  actions?: ReactNode;
  /** Pages whose content does not depend on the scope (users, organizations) hide the badge. */
  showScope?: boolean;
}

export function ScopeBadge() {
  const scope = useScope();
  const label = scope.projectIdentifier
    ? `Project: ${scope.orgIdentifier} / ${scope.projectIdentifier}`
    : scope.orgIdentifier ? `Organization: ${scope.orgIdentifier}` : 'Account';
  return <Badge variant="light" color="indigo" tt="none" className="wraps" data-testid="scope-badge">{label}</Badge>;
}

export function PageHeader({ title, documentTitle, description, trail, actions, showScope = true }: PageHeaderProps) {
  const scoped = useScopedPath();
  useDocumentTitle(documentTitle ?? title);
  return (
    <Stack gap={6} mb="lg">
      {trail && trail.length > 0 && (
        <Breadcrumbs separator="›" style={{ flexWrap: 'wrap', rowGap: 6 }}>
          {trail.map((t) => <Anchor key={t.to} component={Link} to={scoped(t.to)} size="sm">{t.label}</Anchor>)}
        </Breadcrumbs>
      )}
      <Group justify="space-between" align="flex-start" gap="sm" wrap="wrap">
        <Group gap="sm" align="center" wrap="wrap" miw={0}>
          <Title order={1} size="h2" tabIndex={-1} style={{ overflowWrap: 'anywhere', outlineOffset: 2 }}>{title}</Title>
          {showScope && <ScopeBadge />}
        </Group>
        {actions && <Group gap="xs" className="page-actions">{actions}</Group>}
      </Group>
      {description && <Text c="dimmed" size="sm" maw={820} style={{ overflowWrap: 'anywhere' }}>{description}</Text>}
    </Stack>
  );
}
