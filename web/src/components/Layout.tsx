import { Suspense } from "react";
import { NavLink, Outlet } from "react-router-dom";
import { Loading } from "./Status";
import { signOut } from "../auth/session";

const sections = [
  { to: "/agents", label: "Agents" },
  { to: "/test-call", label: "Test call" },
  { to: "/calls", label: "Calls" },
  { to: "/phone-numbers", label: "Phone numbers" },
  { to: "/analytics", label: "Analytics" },
  { to: "/settings", label: "Settings" },
];

export function Layout() {
  return (
    <div className="shell">
      <nav className="sidebar" aria-label="Main">
        <div className="brand">Vox</div>
        <ul>
          {sections.map((section) => (
            <li key={section.to}>
              <NavLink to={section.to}>{section.label}</NavLink>
            </li>
          ))}
        </ul>
        <button type="button" className="link sign-out" onClick={signOut}>
          Sign out
        </button>
      </nav>
      <main className="content">
        {/* Pages are loaded on first visit; the sidebar stays while one loads. */}
        <Suspense fallback={<Loading what="the page" />}>
          <Outlet />
        </Suspense>
      </main>
    </div>
  );
}
