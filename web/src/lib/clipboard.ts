// Copies text, also where the async Clipboard API is unavailable (plain http on a non-local host).

export async function copyText(text: string): Promise<boolean> {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return true;
    } catch {
      // fall through to the older way (e.g. permission refused)
    }
  }
  return copyThroughTextarea(text);
}

/**
 * The older way: a hidden textarea, selected and copied. It takes the focus and the page's
 * selection for a moment; both go back where they were, so the focus stays on the Copy button in
 * the open dialog (the textarea is put inside that dialog, whose focus trap would otherwise object).
 */
function copyThroughTextarea(text: string): boolean {
  const focused = document.activeElement instanceof HTMLElement && document.activeElement !== document.body ? document.activeElement : null;
  const selection = document.getSelection();
  const ranges = selection ? Array.from({ length: selection.rangeCount }, (_, i) => selection.getRangeAt(i)) : [];
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.setAttribute('aria-hidden', 'true');
  area.tabIndex = -1;
  area.style.position = 'fixed';
  area.style.top = '0';
  area.style.left = '0';
  area.style.opacity = '0';
  (focused?.closest('[role="dialog"]') ?? document.body).appendChild(area);
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
  focused?.focus({ preventScroll: true });
  if (selection) {
    selection.removeAllRanges();
    for (const range of ranges) selection.addRange(range);
  }
  return ok;
}
