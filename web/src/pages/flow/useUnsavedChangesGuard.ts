import { useEffect } from "react";

export const leaveMessage = "The flow has unsaved changes. Leave this page and lose them?";

/**
 * Asks before leaving with unsaved changes: the browser's own prompt when the tab is closed or reloaded, and a
 * confirm() when a link inside the dashboard is followed (the app uses a BrowserRouter, where the router's
 * blocker is not available, so links are checked as they are clicked).
 */
export function useUnsavedChangesGuard(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    function beforeUnload(event: BeforeUnloadEvent) {
      event.preventDefault();
      event.returnValue = leaveMessage;
    }
    function linkClick(event: MouseEvent) {
      const anchor = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!anchor || event.defaultPrevented) return;
      const url = new URL((anchor as HTMLAnchorElement).href, window.location.href);
      if (url.origin === window.location.origin && url.pathname === window.location.pathname) return;
      if (!window.confirm(leaveMessage)) {
        event.preventDefault();
        event.stopPropagation();
      }
    }
    window.addEventListener("beforeunload", beforeUnload);
    document.addEventListener("click", linkClick, true);
    return () => {
      window.removeEventListener("beforeunload", beforeUnload);
      document.removeEventListener("click", linkClick, true);
    };
  }, [dirty]);
}
