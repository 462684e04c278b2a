// The closing row of a dialog's form: Cancel, and the submit button that shows the work in progress.
import { Button, Group } from '@mantine/core';

interface FormButtonsProps {
  onCancel: () => void;
  pending: boolean;
  submitLabel?: string;
  /** Cancel cannot be pressed while the submit is under way. */
  lockCancel?: boolean;
}

export function FormButtons({ onCancel, pending, submitLabel = 'Save', lockCancel = false }: FormButtonsProps) {
  return (
    <Group justify="flex-end">
      <Button variant="default" onClick={onCancel} disabled={lockCancel ? pending : undefined}>Cancel</Button>
      <Button type="submit" loading={pending}>{submitLabel}</Button>
    </Group>
  );
}
