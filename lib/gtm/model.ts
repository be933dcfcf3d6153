// The GTM container as the importer reads it, whichever spelling the file used. Google's
// UI export writes enum values in SCREAMING_SNAKE_CASE (CUSTOM_EVENT, MATCH_REGEX,
// TEMPLATE), the Tag Manager API in camelCase (customEvent, matchRegex, template); both
// are read into the camelCase form here, so the converter knows one spelling only.

/** A tag's, trigger's or variable's parameter: a string, or a list or map of parameters. */
export type GtmParam = { type: string; key?: string; value?: string; list?: GtmParam[]; map?: GtmParam[] };

/** One condition: `arg0` is usually a variable reference ({{Page Path}}), `arg1` the value. */
export type GtmCondition = { type: string; arg0: string; arg1: string; negate: boolean; ignoreCase: boolean };

export type GtmTrigger = {
  id: string;
  name: string;
  type: string;
  customEventFilter: GtmCondition[];
  filter: GtmCondition[];
  autoEventFilter: GtmCondition[];
  parameter: GtmParam[];
};

export type GtmVariable = { id: string; name: string; type: string; parameter: GtmParam[] };

export type GtmConsent = { status: "needed" | "notNeeded" | "notSet"; types: string[] };

export type GtmTag = {
  id: string;
  name: string;
  type: string;
  parameter: GtmParam[];
  firingTriggerIds: string[];
  blockingTriggerIds: string[];
  paused: boolean;
  /** oncePerEvent (the default), oncePerLoad or unlimited */
  firingOption: string;
  consent: GtmConsent;
};

/** A custom template; community templates name their gallery source. */
export type GtmTemplate = { id: string; name: string; gallery: { host: string; owner: string; repository: string } | null };

export type GtmContainer = {
  publicId: string;
  name: string;
  tags: GtmTag[];
  triggers: GtmTrigger[];
  variables: GtmVariable[];
  /** Built-in variables switched on, by their camelCase type (pageUrl, clickText…) and display name. */
  builtIns: { type: string; name: string }[];
  templates: GtmTemplate[];
};

/** SCREAMING_SNAKE_CASE → camelCase; a value with lower-case letters is already camelCase. */
export function canonical(value: string): string {
  if (/[a-z]/.test(value)) return value;
  return value.toLowerCase().replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A parameter's string value by key (top level of a list of parameters). */
export function param(params: GtmParam[], key: string): string | undefined {
  return params.find((p) => p.key === key)?.value;
}

export function paramOf(params: GtmParam[], key: string): GtmParam | undefined {
  return params.find((p) => p.key === key);
}

/** A LIST of MAPs (a table such as eventParameters) as rows of key → value. */
export function table(params: GtmParam[], key: string): Record<string, string>[] {
  const list = paramOf(params, key)?.list ?? [];
  return list.map((row) => Object.fromEntries((row.map ?? []).filter((c) => c.key !== undefined).map((c) => [c.key!, c.value ?? ""])));
}

export const isTrue = (value: string | undefined) => value === "true";
