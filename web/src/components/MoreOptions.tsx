// The "More Options" (⋮) menu the documents use for Edit, Rotate Token and Delete.
import type { ReactNode } from 'react';
import { ActionIcon, Menu } from '@mantine/core';
import { IconDotsVertical, IconPencil, IconTrash } from './icons';

export interface MoreOption {
  label: string;
  icon?: ReactNode;
  onClick: () => void;
  danger?: boolean;
  disabled?: boolean;
  /** Why it is disabled, shown as the item's tooltip. */
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

export function MoreOptions({ of, options }: { of: string; options: MoreOption[] }) {
  return (
    <Menu position="bottom-end" withinPortal shadow="md" width={200}>
      <Menu.Target>
        <ActionIcon variant="subtle" color="gray" size="lg" aria-label={`More Options for ${of}`} title="More Options">
          <IconDotsVertical />
        </ActionIcon>
      </Menu.Target>
      <Menu.Dropdown>
        {options.map((o) => (
          <Menu.Item key={o.label} leftSection={o.icon} color={o.danger ? 'red' : undefined}
            disabled={o.disabled} title={o.hint} onClick={o.onClick}>
            {o.label}
          </Menu.Item>
        ))}
      </Menu.Dropdown>
    </Menu>
  );
}
