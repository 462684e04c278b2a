// Buttons for an action the person may not be allowed to take: disabled while the server is
// asked, and disabled with a tooltip saying what is missing when the answer is no.
import { useId, type MouseEvent, type ReactNode } from 'react';
import { ActionIcon, Button, Tooltip, type ActionIconProps, type ButtonProps, type ElementProps } from '@mantine/core';
import type { Access } from '../app/access';

/** The tooltip and the wrapper it listens on, around the button itself. */
function Permitted({ access, label, reasonId, children }: { access: Access; label?: string; reasonId: string; children: ReactNode }) {
  const denied = access.state === 'denied';
  const text = denied ? access.reason : label;
  return (
    <Tooltip label={text ?? ''} disabled={!text} multiline maw={340} withArrow events={{ hover: true, focus: true, touch: true }}>
      {/* A disabled button gets no mouse events, so the tooltip listens on this wrapper, and the
          button lets the pointer through to it. The focus of the button inside shows it too. */}
      <span style={{ display: 'inline-block' }} data-access={access.state}>
        {children}
        {denied && <span id={reasonId} hidden>{access.reason}</span>}
      </span>
    </Tooltip>
  );
}

/**
 * How the button is held back. While the server is asked (or when the caller says so) it is
 * disabled. Refused, it stays in the keyboard's reach, named as always and described by the reason,
 * which a screen reader says with it (a disabled button is skipped, and its wrapper has no name to
 * say): aria-disabled, looking disabled, and a click (Enter, Space) does nothing, submitting no form.
 */
function holdBack(access: Access, disabled: boolean | undefined, reasonId: string) {
  if (access.state === 'denied') {
    return {
      disabled: false, 'aria-disabled': true, 'data-disabled': true, 'aria-describedby': reasonId,
      onClick: (e: MouseEvent) => e.preventDefault(),
    } as const;
  }
  return { disabled: !!disabled || access.state !== 'permitted' };
}

interface PermittedButtonProps extends ButtonProps, ElementProps<'button', keyof ButtonProps> {
  access: Access;
}

export function PermittedButton({ access, disabled, style, ...props }: PermittedButtonProps) {
  const reasonId = useId();
  const off = !!disabled || access.state !== 'permitted';
  return (
    <Permitted access={access} reasonId={reasonId}>
      <Button {...props} {...holdBack(access, disabled, reasonId)} style={off ? [style, { pointerEvents: 'none' }] : style} />
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
  const reasonId = useId();
  const off = !!disabled || access.state !== 'permitted';
  return (
    <Permitted access={access} label={tooltip} reasonId={reasonId}>
      <ActionIcon {...props} {...holdBack(access, disabled, reasonId)} style={off ? [style, { pointerEvents: 'none' }] : style} />
    </Permitted>
  );
}
