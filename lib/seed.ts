// The demo data `npm start` puts into an empty database: a team, its owner, and one
// site with two regions and the three standard environments.
import { prisma } from "./db";
import { createAccount } from "./team/accounts";
import { createSite } from "./config/sites";
import { siteCreate } from "./schemas/resources";

export const DEMO_EMAIL = "demo@tagpipe.test";
export const DEMO_PASSWORD = "tagpipe-demo";

/** Seeds when there is no user yet; returns whether it did. */
export async function seedIfEmpty(): Promise<boolean> {
  const db = await prisma();
  if ((await db.user.count()) > 0) return false;
  const { userId, teamId } = await createAccount({
    email: DEMO_EMAIL,
    name: "Demo Owner",
    password: DEMO_PASSWORD,
    teamName: "Demo Team",
  });
  const actor = { teamId, role: "owner" as const, label: "Demo Owner", userId, tokenId: null };
  await createSite(
    actor,
    siteCreate.parse({
      name: "Demo Shop",
      hostnames: ["shop.example.com", "localhost", "127.0.0.1"],
      defaultCurrency: "EUR",
      regions: [
        { code: "eu", name: "European Union", countries: ["DE", "FR", "IT", "ES", "NL", "AT", "BE", "IE"], currency: "EUR", consentDefault: "denied" },
        { code: "us", name: "United States", countries: ["US"], rules: [{ pathPrefix: "/us" }], currency: "USD", consentDefault: "granted" },
      ],
    }),
  );
  return true;
}
