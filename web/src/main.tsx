import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { BrowserRouter } from "react-router-dom";
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { App } from "./App";
import { takeKeyFromLocation } from "./auth/session";
import "./styles.css";

takeKeyFromLocation(window.location, window.history);

const queryClient = new QueryClient({
  defaultOptions: {
    // A 4xx will not get better by asking again; a network blip might.
    queries: { retry: (count, error) => count < 2 && !("status" in error && Number(error.status) >= 400), staleTime: 5_000 },
  },
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <BrowserRouter>
        <App />
      </BrowserRouter>
    </QueryClientProvider>
  </StrictMode>,
);
