import { useCallback, useEffect } from "react";
import { useBlocker, type BlockerFunction } from "react-router-dom";

export const leaveMessage = "The flow has unsaved changes. Leave this page and lose them?";

/**
 * Asks before leaving with unsaved changes: the browser's own prompt when the tab is closed or reloaded, and a
 * confirm() for any move to another page inside the dashboard (a link, Back or Forward, navigate()), through the
 * router's blocker. Needs a data router (createBrowserRouter, or createMemoryRouter in tests).
 */
export function useUnsavedChangesGuard(dirty: boolean) {
  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
    [dirty],
  );
  const blocker = useBlocker(shouldBlock);
  useEffect(() => {
    if (blocker.state !== "blocked") return;
    if (window.confirm(leaveMessage)) blocker.proceed();
    else blocker.reset();
  }, [blocker]);

  useEffect(() => {
    if (!dirty) return;
    function beforeUnload(event: BeforeUnloadEvent) {
      event.preventDefault();
      event.returnValue = leaveMessage;
    }
    window.addEventListener("beforeunload", beforeUnload);
    return () => window.removeEventListener("beforeunload", beforeUnload);
  }, [dirty]);
}
