// Where alert webhooks may go, and what an alert says.
import { afterEach, describe, expect, it } from "vitest";
import { isBlockedAddress, webhookUrlProblem } from "@/lib/http/outbound-url";
import { alertMessage, emailOf } from "@/lib/health/channels/message";
import { maskUrl } from "@/lib/health/channels/channels";

describe("webhook URL guard", () => {
  afterEach(() => {
    delete process.env.TAGPIPE_ALLOW_PRIVATE_WEBHOOKS;
  });

  it.each(["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fe80::1", "fd00:ec2::254", "::ffff:10.0.0.1", "224.0.0.1"])("%s is blocked", (ip) => {
    expect(isBlockedAddress(ip)).toBe(true);
  });

  it.each(["8.8.8.8", "1.1.1.1", "2606:4700:4700::1111", "172.32.0.1"])("%s is public", (ip) => {
    expect(isBlockedAddress(ip)).toBe(false);
  });

  it("requires https to a public host", () => {
    expect(webhookUrlProblem("https://hooks.slack.com/services/T000/B000/XXX")).toBeNull();
    expect(webhookUrlProblem("http://hooks.example.com/x")).toBe("must be an https URL");
    expect(webhookUrlProblem("https://127.0.0.1/x")).toMatch(/loopback, private/);
    expect(webhookUrlProblem("https://[::1]/x")).toMatch(/loopback, private/);
    expect(webhookUrlProblem("https://169.254.169.254/latest/meta-data")).toMatch(/loopback, private/);
    expect(webhookUrlProblem("https://localhost/x")).toBe("must name a public host");
    expect(webhookUrlProblem("https://metadata.google.internal/x")).toBe("must name a public host");
    expect(webhookUrlProblem("https://user:pw@hooks.example.com/x")).toBe("must not carry a user name or password");
    expect(webhookUrlProblem("not a url")).toBe("must be an absolute URL");
  });
});

describe("webhook URLs as shown", () => {
  it("keep the origin and first path segment; the rest, where chat webhooks keep their token, is hidden", () => {
    expect(maskUrl("https://hooks.slack.com/services/T000/B000/XXXXSECRET")).toBe("https://hooks.slack.com/services/…");
    expect(maskUrl("https://ops.example.com/tagpipe")).toBe("https://ops.example.com/tagpipe");
    expect(maskUrl("https://ops.example.com/hook?token=abc")).toBe("https://ops.example.com/hook/…");
    expect(maskUrl("https://ops.example.com")).toBe("https://ops.example.com");
  });
});

describe("alert messages", () => {
  const site = { id: "s1", name: "Nordic Store" };
  const incident = {
    id: "i1",
    kind: "volume_drop",
    subject: "event:purchase",
    subjectLabel: "purchase",
    status: "open",
    message: "purchase: 2 accepted in the last hour against a usual 60",
    details: { value: 2 },
    openedAt: new Date("2026-12-05T10:00:00Z"),
    resolvedAt: null,
  };

  it("an opening carries a Slack-compatible text and the structured incident", () => {
    const m = alertMessage("incident.opened", site, incident, "https://tags.example.com/");
    expect(m.text).toBe(":rotating_light: [Nordic Store] Volume drop: purchase: 2 accepted in the last hour against a usual 60 <https://tags.example.com/sites/s1/alerts#incident-i1|Open in Tagpipe>");
    expect(m.incident).toMatchObject({ id: "i1", title: "Volume drop", openedAt: "2026-12-05T10:00:00.000Z", url: "https://tags.example.com/sites/s1/alerts#incident-i1" });
  });

  it("a recovery says how long it lasted; the email says the same words", () => {
    const m = alertMessage("incident.resolved", site, { ...incident, status: "resolved", resolvedAt: new Date("2026-12-05T10:42:00Z") }, null);
    expect(m.text).toBe(":white_check_mark: [Nordic Store] Resolved after 42 min: Volume drop for purchase");
    const mail = emailOf(m);
    expect(mail.subject).toBe("[Tagpipe] Resolved — Nordic Store: Volume drop — purchase");
    expect(mail.text).toContain("Resolved: 2026-12-05T10:42:00.000Z");
  });
});
