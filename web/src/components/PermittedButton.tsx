// A button for an action the person may not be allowed to take: disabled while the server is
// asked, and disabled with a tooltip saying what is missing when the answer is no.
import { Button, Tooltip, type ButtonProps, type ElementProps } from '@mantine/core';
import type { Access } from '../app/access';

interface PermittedButtonProps extends ButtonProps, ElementProps<'button', keyof ButtonProps> {
  access: Access;
}

export function PermittedButton({ access, disabled, style, ...props }: PermittedButtonProps) {
  const denied = access.state === 'denied';
  const off = !!disabled || access.state !== 'permitted';
  return (
    <Tooltip label={denied ? access.reason : ''} disabled={!denied} multiline maw={340} withArrow
      events={{ hover: true, focus: true, touch: true }}>
      {/* A disabled button gets no mouse events, so the tooltip listens on this wrapper, and the
          button lets the pointer through to it. Focusable when denied, so the keyboard can ask why. */}
      <span style={{ display: 'inline-block' }} tabIndex={denied ? 0 : undefined} data-access={access.state}>
        <Button {...props} disabled={off} style={off ? [style, { pointerEvents: 'none' }] : style} />
      </span>
    </Tooltip>
  );
}
