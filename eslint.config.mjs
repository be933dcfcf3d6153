// ESLint (flat config): Next's rules (core web vitals) and typescript-eslint's
// recommended set. `npm run lint` fails on any warning.
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  {
    ignores: [".next/**", ".next-*/**", "lib/generated/**", "node_modules/**", "data/**", "tests/.artifacts/**", "test-results/**", "next-env.d.ts"],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    // After a 401 the browser must drop all client state and load the sign-in page
    // afresh: a full navigation here is deliberate, not a missed router.push().
    files: ["components/ui/api.ts"],
    rules: { "@next/next/no-location-assign-relative-destination": "off" },
  },
];

export default config;
