// Every dialog of the console: Mantine's Modal with a named close button, the focus handed back to
// what opened it when it closes, and a way for content that must not be lost (a token value shown
// once) to stop Escape and a click outside from closing it.
import { createContext, useCallback, useContext, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { Modal, type ModalProps } from '@mantine/core';

/**
 * Where the focus goes when the next dialog closes. A menu item that opens a dialog sets it: the
 * item itself is gone by then, and the menu's own focus return would pull the focus out of the
 * dialog it just opened. It only holds until the dialog the click opens has taken it.
 */
let nextOrigin: HTMLElement | null = null;

export function returnFocusAfterDialog(element: HTMLElement | null): void {
  nextOrigin = element;
  window.setTimeout(() => { if (nextOrigin === element) nextOrigin = null; }, 0);
}

function takeOrigin(): HTMLElement | null {
  const origin = nextOrigin ?? (document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null);
  nextOrigin = null;
  return origin;
}

/**
 * Mantine's Modal returns the focus only when `opened` changes on a mounted Modal; many dialogs
 * here are mounted while open only. This covers both: the origin is taken when the dialog opens
 * (or mounts open) and focused again when it closes (or unmounts), unless the focus has meanwhile
 * gone somewhere outside this dialog, such as another dialog.
 */
function useFocusReturn(opened: boolean) {
  const origin = useRef<HTMLElement | null>(null);
  /** The regions around the origin, innermost first: where the focus goes if the origin is gone. */
  const regions = useRef<HTMLElement[]>([]);
  const pending = useRef<number | undefined>(undefined);
  const dialogElement = useRef<HTMLElement | null>(null);
  useLayoutEffect(() => {
    if (!opened) return undefined;
    if (pending.current !== undefined) {
      // Closed and opened again at once (StrictMode's second effect run): keep the first origin.
      window.clearTimeout(pending.current);
      pending.current = undefined;
    } else {
      origin.current = takeOrigin();
      regions.current = regionsAround(origin.current);
    }
    return () => {
      pending.current = window.setTimeout(() => {
        pending.current = undefined;
        const target = origin.current?.isConnected ? origin.current : nearestRegion(regions.current);
        origin.current = null;
        regions.current = [];
        const active = document.activeElement;
        const focusLeftBehind = !active || active === document.body || !!dialogElement.current?.contains(active);
        if (target && focusLeftBehind) target.focus({ preventScroll: true });
      }, 0);
    };
  }, [opened]);
  // Found from the body, which is inside the dialog's section.
  return useCallback((node: HTMLElement | null) => {
    if (node) dialogElement.current = node.closest<HTMLElement>('[role="dialog"]') ?? node;
  }, []);
}

const REGION = 'section, [role="region"], [role="tabpanel"], main';

function regionsAround(element: HTMLElement | null): HTMLElement[] {
  const found: HTMLElement[] = [];
  for (let e = element?.parentElement?.closest<HTMLElement>(REGION); e; e = e.parentElement?.closest<HTMLElement>(REGION)) found.push(e);
  return found;
}

/**
 * When what opened the dialog is gone (the row or card just deleted), the focus goes to the
 * innermost region around it that is still there, rather than to the top of the page, so that a
 * keyboard user goes on from where they were.
 */
function nearestRegion(regions: readonly HTMLElement[]): HTMLElement | null {
  const region = regions.find((r) => r.isConnected) ?? null;
  if (region && !region.hasAttribute('tabindex')) region.tabIndex = -1;
  return region;
}

const HoldOpen = createContext<((held: boolean) => void) | null>(null);

/** While the calling component is shown, Escape and a click outside do not close its dialog. */
export function useHoldDialogOpen(): void {
  const setHeld = useContext(HoldOpen);
  useEffect(() => {
    if (!setHeld) return undefined;
    setHeld(true);
    return () => setHeld(false);
  }, [setHeld]);
}

/**
 * Names people choose may be one long word (Production_Deployment_Pipeline_Integration_Key): in a
 * title or a sentence they wrap rather than run past the dialog's edge, and take the ✕ with them.
 * The title, a flex item beside the ✕, may break anywhere and shrink; the body breaks a word only
 * where it cannot fit on a line of its own ('anywhere' there, inherited by every flex row, would
 * let ordinary words in narrow rows break mid-word).
 */
const DIALOG_STYLES = {
  title: { overflowWrap: 'anywhere', minWidth: 0, lineHeight: 1.3 },
  close: { flexShrink: 0 },
} as const;
const BODY_STYLE = { overflowWrap: 'break-word' } as const;

export function Dialog({ opened, children, closeOnEscape = true, closeOnClickOutside = true, closeButtonProps, ...props }: ModalProps) {
  const [held, setHeld] = useState(false);
  const bodyRef = useFocusReturn(opened);
  return (
    <Modal opened={opened} returnFocus={false} closeOnEscape={closeOnEscape && !held} closeOnClickOutside={closeOnClickOutside && !held}
      closeButtonProps={{ 'aria-label': 'Close', ...closeButtonProps }} styles={DIALOG_STYLES} {...props}>
      <HoldOpen.Provider value={setHeld}>
        <div ref={bodyRef} style={BODY_STYLE}>{children}</div>
      </HoldOpen.Provider>
    </Modal>
  );
}
