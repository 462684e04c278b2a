// Copies text, also where the async Clipboard API is unavailable (plain http on a non-local host).

/**
 * Copies `text`. `returnFocusTo` is the control that copies (a Copy button): where the focus goes
 * afterwards when nothing in its dialog had it, as after a click in Safari, which does not focus
 * the button clicked.
 */
export async function copyText(text: string, returnFocusTo: HTMLElement | null = null): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the older way (e.g. permission refused)
    }
  }
  return copyThroughTextarea(text, returnFocusTo);
}

/**
 * The older way: a hidden textarea, selected and copied. It takes the focus and the page's
 * selection for a moment; both go back where they were, so the focus stays on the Copy button in
 * the open dialog (the textarea is put inside that dialog, whose focus trap would otherwise object).
 */
function copyThroughTextarea(text: string, returnFocusTo: HTMLElement | null): boolean {
  const active = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
  const dialog = (returnFocusTo ?? active)?.closest<HTMLElement>('[role="dialog"]') ?? null;
  const focusedInDialog = active !== null && active !== dialog && (dialog === null || dialog.contains(active));
  const back = focusedInDialog ? active : returnFocusTo ?? active;
  const selection = document.getSelection();
  // Copies: the selection's own ranges change as the textarea's text is selected.
  const ranges = selection ? Array.from({ length: selection.rangeCount }, (_, i) => selection.getRangeAt(i).cloneRange()) : [];
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  // Out of sight (opacity 0) and of the Tab order; not aria-hidden, which a focused element must not be.
  area.tabIndex = -1;
  area.style.position = 'fixed';
  area.style.top = '0';
  area.style.left = '0';
  area.style.opacity = '0';
  (dialog ?? document.body).appendChild(area);
  area.focus({ preventScroll: true });
  area.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch {
    ok = false;
  }
  area.value = '';
  area.remove();
  back?.focus({ preventScroll: true });
  if (selection) {
    selection.removeAllRanges();
    for (const range of ranges) selection.addRange(range);
  }
  return ok;
}
