// The console's entry point: providers (Mantine, TanStack Query, router, session) and the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { Badge, Checkbox, createTheme, InputWrapper, MantineProvider, Notification } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router-dom';
import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import '@mantine/notifications/styles.css';
import { ApiError } from './api/errors';
import { ListTooLongError } from './api/paging';
import { App } from './app/App';
import { cssVariablesResolver } from './app/readableColors';
import { SessionProvider } from './app/session';
import './styles.css';

const theme = createTheme({
  primaryColor: 'blue',
  defaultRadius: 'md',
  // Someone whose system asks for less motion gets dialogs, menus and messages without animation
  // (the phone's navigation too: Shell.tsx).
  respectReducedMotion: true,
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  // Badges carry names and states that read better as written than in capitals.
  // No asterisk inside required fields' labels: a label reads exactly as the documents name the
  // field ("Name", "Expiration Date"), for people and for tools that find fields by their label.
  components: {
    Badge: Badge.extend({ defaultProps: { tt: 'none' } }),
    // Square-ish, as checkboxes are: with the theme's radius they looked like the radio buttons beside them.
    Checkbox: Checkbox.extend({ defaultProps: { radius: 'sm' } }),
    InputWrapper: InputWrapper.extend({ defaultProps: { withAsterisk: false } }),
    // The ✕ of a message that pops up says what it does.
    Notification: Notification.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close this message' } } }),
  },
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 10_000,
      refetchOnWindowFocus: true,
      // A 4xx will not change by asking again, nor will a list too long to read; a network blip might.
      retry: (count, error) => count < 2 && !(error instanceof ApiError && error.status >= 400 && error.status < 500)
        && !(error instanceof ListTooLongError),
    },
    mutations: { gcTime: 0 },
  },
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <DatesProvider settings={{ firstDayOfWeek: 0 }}>
        <Notifications position="bottom-right" />
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <SessionProvider>
              <App />
            </SessionProvider>
          </BrowserRouter>
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  </StrictMode>,
);
