import { defineConfig } from "vitest/config";
import { fileURLToPath } from "node:url";

// The dev server proxies the API to a running voxd (VOX_URL, default
// http://127.0.0.1:8080), so `npm run dev` works against the real API.
const voxUrl = process.env.VOX_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  // esbuild compiles the TSX with the automatic JSX runtime (tsconfig "jsx": "react-jsx").
  resolve: {
    alias: {
      // The web-call SDK is its own package (sdk/js) that the dashboard builds from source.
      "@vox/web-call": fileURLToPath(new URL("../sdk/js/src/index.ts", import.meta.url)),
    },
  },
  server: {
    port: 5173,
    // The SDK lives outside web/: let the dev server and Vitest load its sources and tests.
    fs: { allow: [".", "../sdk/js"] },
    proxy: {
      "/api": voxUrl,
      "/openapi.json": voxUrl,
      "/healthz": voxUrl,
      "/ws": { target: voxUrl, ws: true },
    },
  },
  build: {
    outDir: "dist",
    sourcemap: true,
    chunkSizeWarningLimit: 1500,
    rollupOptions: {
      onwarn(warning, warn) {
        // React libraries mark modules "use client" for server components; meaningless in a client bundle.
        if (warning.code === "MODULE_LEVEL_DIRECTIVE" || warning.code === "SOURCEMAP_ERROR") return;
        warn(warning);
      },
    },
  },
  test: {
    environment: "jsdom",
    globals: true,
    setupFiles: ["src/test/setup.ts"],
    include: ["src/**/*.test.{ts,tsx}", "../sdk/js/src/**/*.test.ts"],
  },
});
