import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createBrowserRouter, RouterProvider } from "react-router-dom";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { routes } from "./App";
import { takeKeyFromLocation } from "./auth/session";
import "./styles.css";

// Before the router reads the address: it then starts without the key in it.
takeKeyFromLocation(window.location, window.history);

const queryClient = new QueryClient({
  defaultOptions: {
    // A 4xx will not get better by asking again; a network blip might.
    queries: { retry: (count, error) => count < 2 && !("status" in error && Number(error.status) >= 400), staleTime: 5_000 },
  },
});

// A data router: the flow builder's useBlocker needs one to ask before Back or Forward leaves unsaved changes.
const router = createBrowserRouter(routes);

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <RouterProvider router={router} />
    </QueryClientProvider>
  </StrictMode>,
);
