import { lazy, type ComponentType } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router-dom";
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

export function App() {
  const apiKey = useApiKey();
  const location = useLocation();
  if (!apiKey) {
    return (
      <Routes>
        <Route path="/sign-in" element={<SignInPage />} />
        <Route path="*" element={<Navigate to="/sign-in" replace state={{ from: location.pathname }} />} />
      </Routes>
    );
  }
  return (
    <Routes>
      <Route path="/sign-in" element={<Navigate to="/agents" replace />} />
      <Route element={<Layout />}>
        <Route index element={<Navigate to="/agents" replace />} />
        <Route path="/agents" element={<AgentsPage />} />
        <Route path="/agents/new" element={<AgentEditPage />} />
        <Route path="/agents/:agentId" element={<AgentEditPage />} />
        <Route path="/agents/:agentId/flow" element={<FlowBuilderPage />} />
        <Route path="/agents/:agentId/test" element={<TestCallPage />} />
        <Route path="/test-call" element={<TestCallPage />} />
        <Route path="/calls" element={<CallsPage />} />
        <Route path="/calls/:callId" element={<CallDetailPage />} />
        <Route path="/phone-numbers" element={<PhoneNumbersPage />} />
        <Route path="/analytics" element={<AnalyticsPage />} />
        <Route path="/settings" element={<SettingsPage />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function NotFound() {
  return (
    <section className="page">
      <h1>Not found</h1>
      <p>There is no page at this address.</p>
    </section>
  );
}
