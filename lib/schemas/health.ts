// Requests about signal health: the period, the bucket size and the dimension to group by.
import { z } from "zod";

const period = z.enum(["24h", "7d", "30d"]).default("7d").meta({ description: "the period ending with the current hour; the previous period of the same length is returned beside it" });

export const healthQuery = z.strictObject({
  period,
  grain: z.enum(["hour", "day"]).optional().meta({ description: "bucket size; hour for 24h and 7d, day for 30d unless given" }),
  by: z.enum(["none", "event", "source", "destination", "region", "environment"]).default("none"),
});

export const qualityQuery = z.strictObject({ period });
