"use client";
import { useRouter } from "next/navigation";
import { api } from "../ui/api";
import { ConfirmButton } from "../ui/confirm-button";

export function DeleteSite({ siteId, name }: { siteId: string; name: string }) {
  const router = useRouter();
  return (
    <ConfirmButton
      label="Delete site"
      confirmLabel={`Delete ${name} and its container`}
      action={() => api("DELETE", `/sites/${siteId}`)}
      onDone={() => {
        router.push("/sites");
        router.refresh();
      }}
    />
  );
}
