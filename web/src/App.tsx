import { lazy, type ComponentType, type ReactNode } from "react";
import { Navigate, useLocation, type RouteObject } from "react-router-dom";
import { useApiKey } from "./auth/useSession";
import { Layout } from "./components/Layout";
import { SignInPage } from "./pages/SignInPage";

// Pages load on first visit: the flow builder (React Flow), the charts (recharts) and the waveforms
// (wavesurfer.js) stay out of the first download.
const page = <Name extends string>(load: () => Promise<Record<Name, ComponentType>>, name: Name) =>
  lazy(() => load().then((module) => ({ default: module[name] })));
const AgentsPage = page(() => import("./pages/agents/AgentsPage"), "AgentsPage");
const AgentEditPage = page(() => import("./pages/agents/AgentEditPage"), "AgentEditPage");
const FlowBuilderPage = page(() => import("./pages/flow/FlowBuilderPage"), "FlowBuilderPage");
const TestCallPage = page(() => import("./pages/testcall/TestCallPage"), "TestCallPage");
const CallsPage = page(() => import("./pages/calls/CallsPage"), "CallsPage");
const CallDetailPage = page(() => import("./pages/calls/CallDetailPage"), "CallDetailPage");
const PhoneNumbersPage = page(() => import("./pages/phone-numbers/PhoneNumbersPage"), "PhoneNumbersPage");
const AnalyticsPage = page(() => import("./pages/analytics/AnalyticsPage"), "AnalyticsPage");
const SettingsPage = page(() => import("./pages/settings/SettingsPage"), "SettingsPage");

/**
 * The dashboard's one route tree (a data router: createBrowserRouter in main.tsx, createMemoryRouter in tests, so
 * that pages can use useBlocker). Whether the browser is signed in is decided by the two gates below.
 */
export const routes: RouteObject[] = [
  {
    path: "/sign-in",
    element: (
      <SignedOutOnly>
        <SignInPage />
      </SignedOutOnly>
    ),
  },
  {
    element: <SignedInOnly />,
    children: [
      { index: true, element: <Navigate to="/agents" replace /> },
      { path: "/agents", element: <AgentsPage /> },
      { path: "/agents/new", element: <AgentEditPage /> },
      { path: "/agents/:agentId", element: <AgentEditPage /> },
      { path: "/agents/:agentId/flow", element: <FlowBuilderPage /> },
      { path: "/agents/:agentId/test", element: <TestCallPage /> },
      { path: "/test-call", element: <TestCallPage /> },
      { path: "/calls", element: <CallsPage /> },
      { path: "/calls/:callId", element: <CallDetailPage /> },
      { path: "/phone-numbers", element: <PhoneNumbersPage /> },
      { path: "/analytics", element: <AnalyticsPage /> },
      { path: "/settings", element: <SettingsPage /> },
      { path: "*", element: <NotFound /> },
    ],
  },
];

/** Every page but the sign-in: signed out, it sends the browser to /sign-in, remembering where it was going. */
function SignedInOnly() {
  const apiKey = useApiKey();
  const location = useLocation();
  if (!apiKey) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <Layout />;
}

/**
 * The sign-in page: a signed-in browser goes on to the dashboard, at the page it was sent here from, like
 * SignInPage does after signing in. (Signing in re-renders this gate while the page's own navigate() is under way,
 * and the gate's navigation wins: both must go to the same place.)
 */
function SignedOutOnly({ children }: { children: ReactNode }) {
  const apiKey = useApiKey();
  const from = (useLocation().state as { from?: string } | null)?.from;
  if (apiKey) return <Navigate to={from && from !== "/sign-in" ? from : "/agents"} replace />;
  return children;
}

function NotFound() {
  return (
    <section className="page">
      <h1>Not found</h1>
      <p>There is no page at this address.</p>
    </section>
  );
}
