// The frame around every signed-in page: header with the user's menu, navigation with the scope
// switcher, and the page itself. On phones the navigation folds behind a burger button.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Anchor, AppShell, Avatar, Burger, Divider, Group, Menu, NavLink, ScrollArea, Text, UnstyledButton } from '@mantine/core';
import { useDisclosure, useMediaQuery, useReducedMotion, useWindowEvent } from '@mantine/hooks';
import { Link, useLocation, useNavigate, useNavigationType } from 'react-router-dom';
import { IconBuilding, IconFolder, IconHistory, IconKey, IconLock, IconLogout, IconSettings, IconShield, IconUser } from '../components/icons';
import { useKeyboardMenu } from '../components/keyboardMenu';
import { useScopedPath } from './scope';
import { ScopeSwitcher } from './ScopeSwitcher';
import { useSession, useUser } from './session';

function initials(name: string): string {
  return name.split(/\s+/).filter(Boolean).slice(0, 2).map((w) => w[0]?.toUpperCase()).join('') || '?';
}

/**
 * The user's menu. Its pages open with the focus on their title, as the navigation's do (`onMove`
 * asks the Shell for it); closed without choosing one (Escape, a click outside), it gives the focus
 * back to its button, as Mantine would — told not to, so that it does not take the title's.
 */
function UserMenu({ onMove }: { onMove: () => void }) {
  const user = useUser();
  const { logout } = useSession();
  const navigate = useNavigate();
  const scoped = useScopedPath();
  const keyboard = useKeyboardMenu();
  const button = useRef<HTMLButtonElement>(null);
  const moving = useRef(false);
  const go = (path: string) => { moving.current = true; onMove(); navigate(path); };
  const onClose = () => {
    if (!moving.current && button.current?.closest('body')) button.current.focus();
    moving.current = false;
  };
  return (
    <Menu position="bottom-end" shadow="md" width={240} withinPortal returnFocus={false} onClose={onClose} {...keyboard.menu}>
      <Menu.Target>
        <UnstyledButton ref={button} aria-label={`User menu for ${user.name}`} style={{ borderRadius: 8, padding: 4 }} {...keyboard.target}>
          <Group gap="xs" wrap="nowrap">
            <Avatar color="blue" radius="xl" size={32}>{initials(user.name)}</Avatar>
            <Text size="sm" fw={500} visibleFrom="sm" maw={180} truncate>{user.name}</Text>
          </Group>
        </UnstyledButton>
      </Menu.Target>
      <Menu.Dropdown>
        <Menu.Label style={{ overflowWrap: 'anywhere' }}>Signed in as {user.email}</Menu.Label>
        <Menu.Item leftSection={<IconUser size={16} />} onClick={() => go(scoped('/profile'))} {...keyboard.first}>My Profile</Menu.Item>
        <Menu.Item leftSection={<IconSettings size={16} />} onClick={() => go(scoped('/account-settings'))}>Account Settings</Menu.Item>
        <Menu.Divider />
        <Menu.Item leftSection={<IconLogout size={16} />} onClick={async () => {
          moving.current = true;
          await logout().catch(() => undefined);
          navigate('/login');
        }}>Sign out</Menu.Item>
      </Menu.Dropdown>
    </Menu>
  );
}

interface NavEntry { to: string; label: string; icon: typeof IconUser; exact?: boolean; child?: boolean }

const NAV: NavEntry[] = [
  { to: '/profile', label: 'My Profile', icon: IconUser, exact: true },
  { to: '/account-settings', label: 'Account Settings', icon: IconSettings, exact: true },
  { to: '/account-settings/access-control', label: 'Access Control', icon: IconShield, child: true },
  { to: '/account-settings/organizations', label: 'Organizations', icon: IconBuilding, child: true },
  { to: '/account-settings/projects', label: 'Projects', icon: IconFolder, child: true },
  { to: '/account-settings/audit-trail', label: 'Audit Trail', icon: IconHistory, child: true },
];

/**
 * The older document's way to the same page: "click Security, and then click Access Management"
 * (then its API Keys tab). Security folds its links away until clicked.
 */
const SECURITY: NavEntry[] = [
  { to: '/account-settings/access-control', label: 'Access Management', icon: IconShield },
];

/** Every entry, Security's too. */
const ENTRIES: readonly NavEntry[] = [...NAV, ...SECURITY];

const matches = (entry: NavEntry, pathname: string) => (entry.exact ? pathname === entry.to : pathname.startsWith(entry.to));

/**
 * The entry marked as the current page. Access Control and Access Management lead to the same
 * page: the one the person came through is marked, Access Control otherwise (after a reload, or
 * when they came by a tab or a link in the page). Never two. Pass null for `cameThrough` while that
 * entry is folded away: the mark must stay on an entry in sight.
 */
function currentEntry(pathname: string, cameThrough: string | null): NavEntry | null {
  const found = ENTRIES.filter((e) => matches(e, pathname));
  return found.find((e) => e.label === cameThrough) ?? found[0] ?? null;
}

export function Shell({ children }: { children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure(false);
  // On phones the folded navigation is only moved off-screen: hidden, it is also out of the
  // keyboard's and assistive technology's way (nobody finds a link they cannot see).
  // Below Mantine's `sm` breakpoint (48em), where the navbar folds and the burger shows: not at 48em itself.
  const phone = useMediaQuery('(max-width: 47.99em)', false, { getInitialValueInEffect: false }) ?? false;
  const location = useLocation();
  const scoped = useScopedPath();
  const [cameThrough, setCameThrough] = useState<string | null>(null);
  // Security's links show once it is clicked, until it is clicked again.
  const [securityOpened, setSecurityOpened] = useState(false);
  // Folded, Security's entries cannot be the current one: the page's entry in sight is (NAV's come first).
  const current = currentEntry(location.pathname, securityOpened ? cameThrough : null);
  // Forgotten once the person leaves that entry's pages, however they leave. Asked when the path
  // changes only: the click that sets it renders before the navigation it starts.
  useEffect(() => {
    setCameThrough((label) => {
      const entry = ENTRIES.find((e) => e.label === label);
      return entry && matches(entry, location.pathname) ? label : null;
    });
  }, [location.pathname]);
  // Escape folds the phone's navigation again, as it closes any other panel over the page (not when
  // a dialog is open: Escape is the dialog's), and the focus goes back to the burger.
  const burger = useRef<HTMLButtonElement>(null);
  useWindowEvent('keydown', (e) => {
    if (e.key !== 'Escape' || !opened || !phone || e.defaultPrevented || document.querySelector('[role="dialog"]')) return;
    close();
    burger.current?.focus();
  });
  const securityId = useId();
  const main = useRef<HTMLElement>(null);
  // After a move to another page through the navigation, the header's logo or the user's menu, or
  // by a link in the page that went with it (the focus lost), the focus goes to the new page's
  // title, which a screen reader reads out — as a browser starts a page it loads from the top. Left
  // on the navigation's link, it would stay behind there (on a phone, in a navigation folded away
  // and out of reach). Not on the first page nor its redirects (the keyboard starts at the skip link
  // there), nor when it is on a control that stays (a tab of the page, the scope switcher).
  const navigationType = useNavigationType();
  const focusTitleNext = useRef(false);
  useEffect(() => {
    const lost = navigationType === 'PUSH' && document.activeElement === document.body;
    if (!focusTitleNext.current && !lost) return;
    const title = main.current?.querySelector<HTMLElement>('h1');
    (title ?? main.current)?.focus({ preventScroll: true });
    // A redirect (Access Control opens its Users tab) shows the title on the next location.
    focusTitleNext.current = !title;
  }, [location.key, navigationType]);
  const link = (item: NavEntry) => {
    const active = item === current;
    const Icon = item.icon;
    return (
      <NavLink key={item.label} component={Link} to={scoped(item.to)} label={item.label} active={active}
        leftSection={<Icon size={18} />} pl={item.child ? 'xl' : undefined}
        onClick={() => { setCameThrough(item.label); focusTitleNext.current = true; close(); }}
        aria-current={active ? 'page' : undefined} />
    );
  };
  // On a phone the navigation slides in and out, unless the system asks for less motion (the theme's
  // respectReducedMotion covers dialogs, menus and messages, not the shell).
  const reduceMotion = useReducedMotion();
  // The navigation is wider on large screens, where the scope switcher then shows a project's name and
  // Id whole ("Default Project (default_project)"); on phones it is the screen's width.
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: { base: 260, lg: 320 }, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md"
      transitionDuration={reduceMotion ? 0 : undefined}>
      {/* The keyboard's first stop on every page: past the header and the navigation (a dozen stops) to the page itself. */}
      <a href="#main-content" className="skip-link mantine-focus-auto" onClick={(e) => { e.preventDefault(); main.current?.focus(); }}>Skip to main content</a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger ref={burger} opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={opened ? 'Close navigation' : 'Open navigation'} />
            <Anchor component={Link} to={scoped('/profile')} underline="never" c="inherit" onClick={() => { focusTitleNext.current = true; }}>
              <Group gap={6} wrap="nowrap">
                <IconKey size={22} color="var(--mantine-color-blue-6)" />
                <Text fw={800} size="lg">keysmith</Text>
              </Group>
            </Anchor>
          </Group>
          <UserMenu onMove={() => { focusTitleNext.current = true; }} />
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="md" aria-label="Main navigation" inert={phone && !opened} style={phone && !opened ? { visibility: 'hidden' } : undefined}>
        <AppShell.Section>
          <ScopeSwitcher />
        </AppShell.Section>
        <Divider my="md" />
        <AppShell.Section grow component={ScrollArea}>
          <nav aria-label="Pages">
            {NAV.map((item) => link(item))}
            {/* A button: it shows and hides its links, and goes nowhere itself. */}
            <NavLink component="button" type="button" label="Security" leftSection={<IconLock size={18} />}
              opened={securityOpened} onChange={setSecurityOpened} aria-expanded={securityOpened} aria-controls={securityId}>
              <div id={securityId}>{SECURITY.map((item) => link(item))}</div>
            </NavLink>
          </nav>
        </AppShell.Section>
      </AppShell.Navbar>
      <AppShell.Main id="main-content" ref={main} tabIndex={-1}>
        <div style={{ maxWidth: 1200, margin: '0 auto', width: '100%', minWidth: 0 }}>{children}</div>
      </AppShell.Main>
    </AppShell>
  );
}
