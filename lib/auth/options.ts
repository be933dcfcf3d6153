// next-auth configuration: email + password, plus GitHub/Google when their env vars are
// set. Sessions are signed JWTs in an httpOnly, SameSite=Lax cookie (Secure over
// HTTPS); every request re-reads the membership, so a removed member loses access at once.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { prisma } from "../db";
import { env } from "../env";
import { DUMMY_HASH, verifyPassword } from "./password";
import { clearSignIn, failedSignIn, throttleSignIn } from "./rate-limit";
import { email as emailSchema } from "../schemas/common";

export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

function oauthProviders() {
  const e = env();
  const providers = [];
  if (e.GITHUB_ID && e.GITHUB_SECRET) providers.push(GitHubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  if (e.GOOGLE_ID && e.GOOGLE_SECRET) providers.push(GoogleProvider({ clientId: e.GOOGLE_ID, clientSecret: e.GOOGLE_SECRET }));
  return providers;
}

function clientIp(headers: Record<string, unknown> | undefined): string {
  const value = headers?.["x-tagpipe-client-ip"];
  return typeof value === "string" && value ? value : "unknown";
}

export function authOptions(): NextAuthOptions {
  return {
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    useSecureCookies: env().TAGPIPE_SECURE_COOKIES || (env().NEXTAUTH_URL ?? "").startsWith("https://"),
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = emailSchema.safeParse(credentials?.email ?? "");
          const password = credentials?.password ?? "";
          if (!parsed.success || !password) return null;
          const ip = clientIp(req?.headers);
          await throttleSignIn(parsed.data, ip);
          const db = await prisma();
          const user = await db.user.findUnique({ where: { email: parsed.data } });
          // Compare even for unknown emails, so timing does not reveal which accounts exist.
          const ok = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
          if (!user || !ok) {
            await failedSignIn(parsed.data, ip);
            return null;
          }
          await clearSignIn(parsed.data, ip);
          return { id: user.id, email: user.email, name: user.name };
        },
      }),
      ...oauthProviders(),
    ],
    callbacks: {
      // OAuth signs in only people who already have an account (invitations create them).
      async signIn({ user, account }) {
        if (account?.provider === "credentials") return true;
        if (!user.email) return false;
        const db = await prisma();
        return !!(await db.user.findUnique({ where: { email: user.email.toLowerCase() } }));
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          if (account.provider === "credentials") {
            token.uid = user.id;
          } else {
            const db = await prisma();
            const found = await db.user.findUnique({ where: { email: (user.email ?? "").toLowerCase() } });
            token.uid = found?.id;
          }
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user) (session.user as { id?: string }).id = token.uid as string | undefined;
        return session;
      },
    },
  };
}
