import type { ReactElement } from "react";
import { render } from "@testing-library/react";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createMemoryRouter, Outlet, RouterProvider, useLocation, type RouteObject } from "react-router-dom";

/** Shows where the app is, so a test can check it. */
function CurrentPath() {
  const location = useLocation();
  return <output data-testid="location">{location.pathname + location.search}</output>;
}

/**
 * Renders `routes` in a data router (createMemoryRouter) whose history is `entries`, at the last of them, with a
 * fresh query cache. Returns the router too: `router.navigate(-1)` is the browser's Back button.
 */
export function renderRoutes(routes: RouteObject[], entries: string[]) {
  const queryClient = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const router = createMemoryRouter([{ element: <WithLocation />, children: routes }], {
    initialEntries: entries,
    initialIndex: entries.length - 1,
  });
  const result = render(
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>,
  );
  return { ...result, router };
}

function WithLocation() {
  return (
    <>
      <Outlet />
      <CurrentPath />
    </>
  );
}

/**
 * Like renderPage (components/forms/testing), for a page that needs a data router (useBlocker): the page at `url`
 * under a route `path`, after the addresses in `before` (the history Back goes to). Other addresses show nothing.
 */
export function renderPageInDataRouter(element: ReactElement, { url, path, before = [] }: { url: string; path: string; before?: string[] }) {
  return renderRoutes(
    [
      { path, element },
      { path: "*", element: null },
    ],
    [...before, url],
  );
}
