// The one-time display of a token value: masked, with an eye toggle and a Copy button, the
// documents' warning, and the header that carries it. The value lives only in the dialog that shows it.
import { useEffect, useRef, useState, type ReactNode } from 'react';
import { ActionIcon, Alert, Button, Code, Group, Paper, Stack, Text } from '@mantine/core';
import { copyText } from '../lib/clipboard';
import { useHoldDialogOpen } from './Dialog';
import { IconAlert, IconCheck, IconCopy, IconEye, IconEyeOff } from './icons';

export const TOKEN_WARNINGS = [
  'The token is only displayed once. Store the token somewhere secure that you can access when you make API requests.',
  "Your API keys carry many privileges. Don't store them in publicly-accessible areas.",
  'After rotating tokens make sure you always use the new token.',
];

export function TokenValue({ value }: { value: string }) {
  const [revealed, setRevealed] = useState(false);
  const [copied, setCopied] = useState<'yes' | 'failed' | null>(null);
  const copyButton = useRef<HTMLButtonElement>(null);
  // The button that made the value is gone: the focus goes to what the person does next.
  useEffect(() => { copyButton.current?.focus({ preventScroll: true }); }, []);
  const masked = '•'.repeat(Math.min(value.length, 48));
  return (
    <Stack gap="sm">
      <Alert color="yellow" icon={<IconAlert />} title="Copy your token now">
        <Stack gap={6}>
          {TOKEN_WARNINGS.map((w) => <Text size="sm" key={w}>{w}</Text>)}
        </Stack>
      </Alert>
      <Text size="sm" fw={500} id="token-value-label">Token</Text>
      <Paper withBorder p="xs" radius="sm" bg="var(--mantine-color-gray-0)">
        {/* On a phone the buttons go under the value, which beside them had about 14 characters a line. */}
        <Group gap="xs" wrap="wrap" align="center">
          <Text component="output" aria-labelledby="token-value-label" data-testid="token-value" data-revealed={revealed}
            ff="monospace" size="sm" style={{ flex: '1 1 16rem', minWidth: 0, wordBreak: 'break-all' }}>
            {revealed ? value : masked}
          </Text>
          <Group gap="xs" wrap="nowrap" ml="auto">
            <ActionIcon variant="subtle" size="lg" onClick={() => setRevealed((r) => !r)} aria-pressed={revealed}
              aria-label={revealed ? 'Hide token value' : 'Show token value'} title={revealed ? 'Hide' : 'Show'}>
              {revealed ? <IconEyeOff /> : <IconEye />}
            </ActionIcon>
            <Button ref={copyButton} size="compact-md" leftSection={copied === 'yes' ? <IconCheck size={16} /> : <IconCopy size={16} />} variant="light"
              color={copied === 'yes' ? 'teal' : undefined} aria-label="Copy token" style={{ flexShrink: 0 }}
              onClick={async () => setCopied((await copyText(value, copyButton.current)) ? 'yes' : 'failed')}>
              {copied === 'yes' ? 'Copied' : 'Copy'}
            </Button>
          </Group>
        </Group>
      </Paper>
      <Text size="sm" c={copied === 'failed' ? 'red' : 'dimmed'} aria-live="polite" mih={20}>
        {copied === 'yes' ? 'The token is on your clipboard.' : copied === 'failed' ? 'Copying failed: reveal the token and copy it by hand.' : ''}
      </Text>
      <Text size="sm">Send it in the <Code>x-api-key</Code> header of your API calls.</Text>
    </Stack>
  );
}

/**
 * After a token is made: what was done, the value (shown this once), and Done. Escape and a click
 * outside the dialog would throw the value away unseen, so only Done (or the close button) closes
 * it; they say so by pointing at the hint that tells how to close it, instead of doing nothing.
 */
export function TokenCreated({ value, onDone, children }: { value: string; onDone: () => void; children: ReactNode }) {
  useHoldDialogOpen();
  const [nudged, setNudged] = useState<'escape' | 'click' | null>(null);
  const hint = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    const dialogOf = () => hint.current?.closest('[role="dialog"]') ?? null;
    const onKey = (e: KeyboardEvent) => {
      if (e.key !== 'Escape' || e.defaultPrevented) return;
      setNudged('escape');
      hint.current?.focus({ preventScroll: false });
    };
    const onPointer = (e: PointerEvent) => {
      const dialog = dialogOf();
      // Outside this dialog, but not in something floating over it (a notification, a menu).
      if (dialog && e.target instanceof Node && !dialog.contains(e.target) && (e.target as Element).closest?.('.mantine-Modal-root')) {
        setNudged('click');
      }
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, []);
  return (
    <Stack>
      <Text size="sm">{children}</Text>
      <TokenValue value={value} />
      <Group justify="space-between" align="center" wrap="nowrap" gap="sm">
        <Text ref={hint} tabIndex={-1} size="sm" role="status" aria-live="polite" data-testid="close-hint" data-nudged={nudged ?? undefined}
          c={nudged ? 'orange.9' : 'dimmed'} fw={nudged ? 600 : undefined} style={{ outlineOffset: 2 }}>
          {nudged === 'escape' ? 'Escape does not close this dialog, so the token is not lost by accident. '
            : nudged === 'click' ? 'A click outside does not close this dialog, so the token is not lost by accident. ' : ''}
          Close it with Done (or ✕) once you have copied the token: its value is not shown again.
        </Text>
        <Button onClick={onDone} style={{ flexShrink: 0 }}>Done</Button>
      </Group>
    </Stack>
  );
}
