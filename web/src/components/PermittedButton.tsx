// Buttons for an action the person may not be allowed to take: disabled while the server is
// asked, and disabled with a tooltip saying what is missing when the answer is no.
import type { ReactNode } from 'react';
import { ActionIcon, Button, Tooltip, type ActionIconProps, type ButtonProps, type ElementProps } from '@mantine/core';
import type { Access } from '../app/access';

/** The tooltip and the wrapper it listens on, around the button itself. */
function Permitted({ access, label, children }: { access: Access; label?: string; children: ReactNode }) {
  const denied = access.state === 'denied';
  const text = denied ? access.reason : label;
  return (
    <Tooltip label={text ?? ''} disabled={!text} multiline maw={340} withArrow events={{ hover: true, focus: true, touch: true }}>
      {/* A disabled button gets no mouse events, so the tooltip listens on this wrapper, and the
          button lets the pointer through to it. Focusable when denied, so the keyboard can ask why. */}
      <span style={{ display: 'inline-block' }} tabIndex={denied ? 0 : undefined} data-access={access.state}>
        {children}
      </span>
    </Tooltip>
  );
}

interface PermittedButtonProps extends ButtonProps, ElementProps<'button', keyof ButtonProps> {
  access: Access;
}

export function PermittedButton({ access, disabled, style, ...props }: PermittedButtonProps) {
  const off = !!disabled || access.state !== 'permitted';
  return (
    <Permitted access={access}>
      <Button {...props} disabled={off} style={off ? [style, { pointerEvents: 'none' }] : style} />
    </Permitted>
  );
}

interface PermittedActionIconProps extends ActionIconProps, ElementProps<'button', keyof ActionIconProps> {
  access: Access;
  /** The tooltip while the action is offered (or being asked about): "Edit". */
  tooltip?: string;
}

/** An icon button (a row's Edit or Delete) the same way. */
export function PermittedActionIcon({ access, tooltip, disabled, style, ...props }: PermittedActionIconProps) {
  const off = !!disabled || access.state !== 'permitted';
  return (
    <Permitted access={access} label={tooltip}>
      <ActionIcon {...props} disabled={off} style={off ? [style, { pointerEvents: 'none' }] : style} />
    </Permitted>
  );
}
