// The "More Options" (⋮) menu the documents use for Edit, Rotate Token and Delete.
import { useId, useRef, type ReactNode } from 'react';
import { ActionIcon, Menu, Text } from '@mantine/core';
import type { Access } from '../app/access';
import { returnFocusAfterDialog } from './Dialog';
import { IconDotsVertical, IconPencil, IconTrash } from './icons';
import { useKeyboardMenu } from './keyboardMenu';

export interface MoreOption {
  label: string;
  icon?: ReactNode;
  onClick: () => void;
  danger?: boolean;
  disabled?: boolean;
  /** Why it is disabled, written under the item's label (and its description, for screen readers). */
  hint?: string;
}

/** The usual "Edit" item. */
export function editOption(onClick: () => void): MoreOption {
  return { label: 'Edit', icon: <IconPencil size={16} />, onClick };
}

/** The usual "Delete" item, in red. */
export function deleteOption(onClick: () => void): MoreOption {
  return { label: 'Delete', icon: <IconTrash size={16} />, danger: true, onClick };
}

/** The item, disabled until `access` permits it, and then saying why not when it does not. */
export function permittedOption(option: MoreOption, access: Access): MoreOption {
  if (access.state === 'permitted') return option;
  return { ...option, disabled: true, hint: option.hint ?? (access.state === 'denied' ? access.reason : undefined) };
}

/**
 * A reason names a permission (core_serviceaccount_manageapikey), one word wider than the menu's
 * line: it may break after an underscore, between the words it is made of, rather than run past
 * the menu's edge (or, failing that, anywhere).
 */
function breakableAfterUnderscores(text: string): ReactNode[] {
  return text.split(/(?<=_)/).flatMap((part, i) => (i === 0 ? [part] : [<wbr key={i} />, part]));
}

export function MoreOptions({ of, options }: { of: string; options: MoreOption[] }) {
  const target = useRef<HTMLButtonElement>(null);
  const hintIds = useId();
  const keyboard = useKeyboardMenu();
  // A disabled item says why under its label: a tooltip would not show on a disabled item, nor to
  // a keyboard or a finger. Its name stays its label alone. It is aria-disabled rather than
  // disabled, so that the arrow keys still reach it and a screen reader says why (WAI-ARIA's menu
  // pattern): choosing it does nothing.
  const explained = (o: MoreOption) => (o.disabled && o.hint ? o.hint : null);
  // An item opens a dialog (or another page), which takes the focus: the menu must not pull it back
  // to ⋮, behind the dialog. The dialog hands it back to ⋮ when it closes; Escape in the menu still does.
  return (
    // No closing animation: a closing menu would linger beside the next one opened, two menus with the same items.
    <Menu position="bottom-end" withinPortal shadow="md" width={options.some(explained) ? 260 : 200} returnFocus={false}
      transitionProps={{ duration: 0 }} {...keyboard.menu}>
      <Menu.Target>
        <ActionIcon ref={target} variant="subtle" color="gray" size="lg" aria-label={`More Options for ${of}`} title="More Options" {...keyboard.target}>
          <IconDotsVertical />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {options.map((o, i) => {
          const hint = explained(o);
          // The same reason for several items is written once, under the first; all point to it.
          const first = hint ? options.findIndex((other) => explained(other) === hint) : -1;
          const hintId = `${hintIds}-${first}`;
          return (
            <Menu.Item key={o.label} leftSection={o.icon} color={o.danger && !o.disabled ? 'red' : undefined}
              aria-disabled={o.disabled || undefined} closeMenuOnClick={!o.disabled} {...(i === 0 ? keyboard.first : {})}
              aria-label={hint ? o.label : undefined} aria-describedby={hint ? hintId : undefined}
              onClick={() => {
                if (o.disabled) return;
                returnFocusAfterDialog(target.current);
                o.onClick();
              }}>
              {o.label}
              {hint && first === i && (
                <Text component="span" display="block" id={hintId} size="xs" c="dimmed" mt={2} style={{ overflowWrap: 'anywhere' }}>
                  {breakableAfterUnderscores(hint)}
                </Text>
              )}
            </Menu.Item>
          );
        })}
      </Menu.Dropdown>
    </Menu>
  );
}
