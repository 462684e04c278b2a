// A confirmation that names exactly what will go, with the failure shown in place.
import { useState, type ReactNode } from 'react';
import { Button, Group, Stack, Text } from '@mantine/core';
import { Dialog } from './Dialog';
import { ActionError } from './states';

interface ConfirmDialogProps {
  opened: boolean;
  title: string;
  children: ReactNode;
  confirmLabel?: string;
  onConfirm: () => Promise<unknown>;
  onClose: () => void;
  danger?: boolean;
}

export function ConfirmDialog({ opened, title, children, confirmLabel = 'Delete', onConfirm, onClose, danger = true }: ConfirmDialogProps) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const close = () => { if (!pending) { setError(null); onClose(); } };
  return (
    <Dialog opened={opened} onClose={close} title={title} centered>
      <Stack>
        <Text component="div" size="sm">{children}</Text>
        <ActionError error={error} />
        <Group justify="flex-end">
          {/* The focus starts on Cancel: what cannot be undone takes a deliberate Tab (WAI-ARIA's alert dialog pattern). */}
          <Button variant="default" onClick={close} disabled={pending} data-autofocus>Cancel</Button>
          <Button color={danger ? 'red' : undefined} loading={pending} onClick={async () => {
            setPending(true);
            setError(null);
            try {
              await onConfirm();
              setPending(false);
              onClose();
            } catch (e) {
              setPending(false);
              setError(e);
            }
          }}>
            {confirmLabel}
          </Button>
        </Group>
      </Stack>
    </Dialog>
  );
}
