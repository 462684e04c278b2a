// A menu opened from the keyboard starts on its first item, as WAI-ARIA's menu button pattern has
// it, rather than on Mantine's unnamed placeholder, where a screen reader says nothing and one more
// key is needed. Opened by a pointer, Mantine's way stands: no item lit until the pointer or an
// arrow key picks one.
import { useState, type KeyboardEvent, type MouseEvent } from 'react';

export function useKeyboardMenu() {
  const [byKeyboard, setByKeyboard] = useState(false);
  return {
    /** For Mantine's Menu. */
    menu: { withInitialFocusPlaceholder: !byKeyboard },
    /**
     * For the button in Menu.Target. Enter and Space click it with no pointer (a click's detail is
     * then 0); ArrowDown opens the menu as they do.
     */
    target: {
      onClick: (e: MouseEvent) => setByKeyboard(e.detail === 0),
      onKeyDown: (e: KeyboardEvent<HTMLElement>) => {
        if (e.key !== 'ArrowDown' || e.currentTarget.getAttribute('aria-expanded') === 'true') return;
        e.preventDefault();
        e.currentTarget.click();
      },
    },
    /** For the menu's first item. */
    first: byKeyboard ? { 'data-autofocus': true } : {},
  };
}
